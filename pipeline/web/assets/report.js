/*
 * report.js - draws `baogao report`'s page from the JSON in
 * <script id="report-data"> (made by pipeline/web/report.c from the web
 * API's tables) with charts.js. Everything is inline; nothing is fetched.
 * Document text goes in through textContent only.
 */
(function () {
    'use strict';
    var el = BG.el;
    var D = JSON.parse(document.getElementById('report-data').textContent);
    var EN = D.lang === 'en';
    var L = EN ? {
        title: 'Report', summary: 'Corpus summary', words: 'Top words', cloud: 'Word cloud',
        trends: 'Trends of the top words', keyness: 'Keyness of the latest year',
        cats: 'Problems by category', recurring: 'Recurring problems',
        commitments: 'Commitments by actor and horizon', documents: 'documents',
        tokens: 'term tokens', problems: 'problems', commitmentsN: 'commitments',
        year: 'Year', term: 'Word', freq: 'Frequency', pm: 'per million', range: 'Documents',
        category: 'Category', actor: 'Actor', horizon: 'Horizon', none: '(none)',
        filter: 'Documents', all: 'all', rep: 'Representative', keys: 'Key terms',
        docs: 'Docs', years: 'Years', inst: 'Instances', target: 'target', reference: 'reference',
        nokey: 'One year only: no keyness.', noRec: 'No recurring problems found.',
        over: 'over-used', under: 'under-used', noyear: '(no year)',
        noActor: '{0} of the {1} commitments name no actor; the chart shows those that do.'
    } : {
        title: '报告分析', summary: '语料概况', words: '高频词', cloud: '词云',
        trends: '高频词趋势', keyness: '最近一年的关键词(对比此前各年)',
        cats: '问题类别', recurring: '反复出现的问题', commitments: '承诺:责任主体与时限',
        documents: '篇文档', tokens: '个词次', problems: '个问题', commitmentsN: '项承诺',
        year: '年份', term: '词语', freq: '频次', pm: '每百万词', range: '文档数',
        category: '类别', actor: '责任主体', horizon: '时限', none: '(未注明)',
        filter: '文档范围', all: '全部', rep: '代表表述', keys: '关键词',
        docs: '文档数', years: '年份数', inst: '实例', target: '目标', reference: '参照',
        nokey: '只有一个年份,无法对比。', noRec: '没有找到反复出现的问题。',
        over: '多用', under: '少用', noyear: '(无年份)',
        noActor: '{1} 项承诺中有 {0} 项未注明责任主体;图中只列出注明的。'
    };
    BG.opts.animation = false;
    BG.opts.dpr = 2;
    var root = document.getElementById('report');
    function rows(k) { return D[k] && D[k].rows ? D[k].rows : []; }
    function sec(title, id) {
        var s = el('section', {class: 'page', id: id}, el('h2', {text: title}));
        root.appendChild(s);
        return s;
    }
    function box(s, cls, height) {
        var b = el('div', {class: 'chart ' + (cls || ''), style: height ? 'height:' + height + 'px' : null});
        s.appendChild(b);
        return b;
    }
    function num(n) { return Number(n || 0).toLocaleString(EN ? 'en' : 'zh-CN'); }

    /* 1. summary */
    var tr = rows('trend'), firstTerm = tr.length ? tr[0].term : null;
    var perYear = tr.filter(function (r) { return r.term === firstTerm && r.documents > 0; });
    var ndocs = 0, ntok = 0;
    perYear.forEach(function (r) { ndocs += r.documents; ntok += r.tokens; });
    if (!perYear.length && D.info) {
        ndocs = D.info.counts.documents;
        ntok = D.info.counts.tokens;
    }
    var nprob = 0, ncom = 0;
    rows('categories').forEach(function (r) { nprob += r.problems; });
    rows('commitments').forEach(function (r) { ncom += r.commitments; });
    root.appendChild(el('header', {class: 'cover'},
        el('h1', {text: L.title}),
        el('p', {class: 'meta', text: L.filter + ': ' + (D.where || L.all) + ' · ' + (D.info ? D.info.db : '')})));
    var s1 = sec(L.summary, 'summary');
    s1.appendChild(el('p', {class: 'big'},
        el('strong', {text: num(ndocs)}), ' ' + L.documents + ' · ',
        el('strong', {text: num(ntok)}), ' ' + L.tokens + ' · ',
        el('strong', {text: num(nprob)}), ' ' + L.problems + ' · ',
        el('strong', {text: num(ncom)}), ' ' + L.commitmentsN));
    if (perYear.length > 1) {
        var b1 = box(s1, 'short');
        BG.columns(b1, perYear.map(function (r) { return String(r.year) || L.noyear; }),
            perYear.map(function (r) { return r.tokens; }), L.tokens);
    }
    if (perYear.length && perYear.length <= 15)
        s1.appendChild(BG.table([['year', L.year], ['documents', L.range], ['tokens', L.tokens]], perYear));

    /* 2. words and cloud */
    var fr = rows('freq');
    var s2 = sec(L.words, 'words');
    var b2 = box(s2, '', BG.barHeight(Math.min(20, fr.length)));
    BG.bar(b2, fr.slice(0, 20).map(function (r) { return r.term; }), fr.slice(0, 20).map(function (r) { return r.freq; }), L.freq);
    s2.appendChild(el('h3', {text: L.cloud}));
    var b3 = box(s2, 'cloud');
    BG.cloud(b3, fr.map(function (r) { return {name: r.term, value: r.freq}; }));
    s2.appendChild(BG.table([['rank', '#'], ['term', L.term], ['freq', L.freq], ['per_million', L.pm], ['range', L.range]], fr.slice(0, 20)));

    /* 3. trends */
    if (tr.length) {
        var s3 = sec(L.trends, 'trends'), gcol = D.trend.columns[0], xs = [], series = {};
        tr.forEach(function (r) {
            var x = String(r[gcol]) || L.noyear;
            if (xs.indexOf(x) < 0)
                xs.push(x);
            (series[r.term] = series[r.term] || []).push(r.per_million);
        });
        BG.lines(box(s3), xs, Object.keys(series).map(function (k) { return {name: k, data: series[k]}; }), L.pm);
    }

    /* 4. keyness */
    var s4 = sec(L.keyness, 'keyness');
    if (D.keyness) {
        var kr = rows('keyness');
        s4.appendChild(el('p', {class: 'meta', text: L.target + ': ' + D.keyness.latest + ' · ' + L.reference + ': ' + D.keyness.earliest + '–' + (D.keyness.latest - 1)}));
        BG.bar(box(s4, '', BG.barHeight(kr.length)), kr.map(function (r) { return (r.direction === '+' ? '+ ' : '− ') + r.term; }),
            kr.map(function (r) { return Math.round(r.g2_4term * 100) / 100; }), 'G²');
        s4.appendChild(BG.table([['direction', '±'], ['term', L.term], ['freq_target', L.target], ['freq_reference', L.reference], ['g2_4term', 'G²'], ['log_ratio_zero_half', 'Log Ratio']], kr));
    } else {
        s4.appendChild(el('p', {text: L.nokey}));
    }

    /* 5. problems by category */
    var s5 = sec(L.cats, 'categories'), cr = rows('categories');
    if (cr.length)
        BG.bar(box(s5, '', BG.barHeight(cr.length)), cr.map(function (r) { return r.category || L.none; }), cr.map(function (r) { return r.problems; }));
    s5.appendChild(BG.table([['category', L.category], ['problems', L.problems], ['documents', L.range]], cr));

    /* 6. recurring problems */
    var s6 = sec(L.recurring, 'recurring'), groups = [], by = {};
    rows('recurring').forEach(function (r) {
        if (!(r.group in by)) {
            by[r.group] = {r: r, inst: []};
            groups.push(by[r.group]);
        }
        by[r.group].inst.push(r);
    });
    if (!groups.length)
        s6.appendChild(el('p', {text: L.noRec}));
    groups.forEach(function (g) {
        s6.appendChild(el('div', {class: 'group'},
            el('h3', {text: g.r.group + '. ' + g.r.representative}),
            el('p', {class: 'meta', text: L.keys + ': ' + g.r.key_terms + ' · ' + L.docs + ' ' + g.r.docs + ' · ' + L.years + ' ' + g.r.years}),
            el('ul', null, g.inst.slice(0, 6).map(function (i) {
                var t = i.title || '', y = i.year ? String(i.year) : '';
                return el('li', {text: (y && t.indexOf(y) < 0 ? y + ' ' : '') + t + ':' + i.clause});
            }))));
    });

    /* 7. commitments by actor and horizon */
    var s7 = sec(L.commitments, 'commitments'), cm = rows('commitments');
    var actors = [], hs = [], cell = {}, noActor = 0;
    cm.forEach(function (r) {
        var a = r.actor || L.none, h = r.horizon || L.none;
        if (!r.actor) {
            noActor += r.commitments;
            return; /* the chart compares named actors */
        }
        if (actors.indexOf(a) < 0 && actors.length < 12)
            actors.push(a);
        if (hs.indexOf(h) < 0)
            hs.push(h);
        cell[a + '\u0000' + h] = r.commitments;
    });
    s7.appendChild(el('p', {class: 'meta', text: L.noActor.replace('{0}', num(noActor)).replace('{1}', num(ncom))}));
    if (actors.length)
        BG.stacked(box(s7), actors, hs.map(function (h) {
            return {name: h, data: actors.map(function (a) { return cell[a + '\u0000' + h] || 0; })};
        }));
    s7.appendChild(BG.table([['actor', L.actor], ['horizon', L.horizon], ['commitments', L.commitmentsN], ['documents', L.range]],
        cm.slice(0, 30).map(function (r) {
            return {actor: r.actor || L.none, horizon: r.horizon || L.none, commitments: r.commitments, documents: r.documents};
        })));

    /* ready when every chart has drawn (the tests wait for this) */
    function check() {
        var pending = document.querySelectorAll('[data-chart="pending"]').length;
        if (pending)
            setTimeout(check, 100);
        else
            document.body.setAttribute('data-ready', '1');
    }
    check();
})();
