/*
 * app.js - baogao's web workspace: pages Search, Document, Problems,
 * Commitments and Statistics over the JSON API of `baogao serve`
 * (pipeline/web/api.c), routed by the URL's #fragment.
 *
 * Documents are untrusted input: their text reaches the page only through
 * textContent (BG.el, BG.table) or as chart data, never as markup. No
 * request leaves this server.
 */
(function () {
    'use strict';
    var el = BG.el;
    var T = {
        zh: {
            search: '搜索', doc: '文档', problems: '问题', commitments: '承诺',
            stats: '统计', go: '搜索', hits: '条结果', noHits: '没有结果',
            prev: '上一页', next: '下一页', page: '第 {0} 页',
            year: '年份', org: '机构', format: '格式', kind: '标注', category: '类别',
            genre: '文体', 'genre.workreport': '工作报告', 'genre.complaint': '投诉与答复',
            'genre.bulletin': '通报', 'genre.policy': '政策文件', 'genre.personal': '个人总结与心得',
            theme: '主题', problem: '问题', commitment: '承诺',
            documents: '文档', title: '标题', csv: 'CSV', xlsx: 'Excel',
            graphml: 'GraphML', download: '下载', showLoc: '显示文件位置(字节)',
            outline: '提纲', explain: '依据', repairs: '修复', all: '全部',
            recurring: '反复出现的问题', instances: '实例', threshold: '相似度阈值',
            apply: '应用', byCategory: '问题类别', problemList: '问题清单',
            byActor: '按责任主体与时限', commitmentList: '承诺清单',
            actor: '责任主体', horizon: '时限', none: '(未注明)',
            where: '筛选(如 year>=2017,org~局)', stopwords: '去停用词',
            boilerplate: '去套话', wordList: '词频表', wordCloud: '词云',
            trend: '词语趋势', words: '词语(空格分隔)', keyness: '关键性(对比)',
            target: '目标', reference: '参照', collocates: '搭配词', word: '词语',
            network: '共现网络', loading: '加载中…', total: '共 {0} 条',
            capped: '(结果过多:只取最相关的前 {0} 条,条数与左侧分面计数均以此为限)', docsAll: '全部文档', cli: '命令行',
            rank: '名次', representative: '代表表述', keyTerms: '关键词',
            docs: '文档数', orgs: '机构数', years: '年份数', file: '文件',
            clear: '清除', filters: '筛选', sentences: '句子', dupOf: '本文与文档 {0} 完全相同',
            noActor: '{1} 项承诺中有 {0} 项未注明责任主体;图中只列出注明的。',
            offsets: '文件中的位置(字节)', open: '点击展开各处表述', view: '查看', groups: '问题组',
            byYear: '按年份分布', byOrg: '按机构分布',
            errOther: '服务器报错(原文):',
            /* the server's messages by id (util.h bg_err_id); {N} is its
             * N-th value. tests/web/i18n_check.py: every id has one. */
            'err.oom': '服务器内存不足',
            'err.api.endpoint': '没有这个接口',
            'err.request.url-long': '请求太长',
            'err.db.read': '数据库暂时无法读取',
            'err.request.arg': '某个参数太长(超过 1024 字节)或不是 UTF-8',
            'err.result.too-large': '结果太大:请用筛选条件缩小范围',
            'err.download.format': '下载格式只能是 csv 或 xlsx',
            'err.download.graphml': '下载格式只能是 csv、xlsx 或 graphml',
            'err.download.xlsx-rows': '行数超出 Excel 的上限',
            'err.arg.number': '{0}:应为 0 到 {1} 之间的整数,而不是"{2}"',
            'err.arg.real': '{0}:应为 {1} 到 {2} 之间的数,而不是"{3}"',
            'err.arg.file': '{0}:工作台只接受 file~文字(路径的一部分),不解析路径',
            'err.arg.comma': '{0}:只能填一个值,不能含逗号,而不是"{1}"',
            'err.arg.kind': '标注只能是主题、问题或承诺',
            'err.arg.unknown': '{0}:不是接口 {1} 的参数(可用:{2})',
            'err.search.q': '请输入要搜索的词语',
            'err.doc.none': '没有文档 {0}',
            'err.doc.dup': '文档 {0} 与文档 {1} 逐字相同,本身不存句子:请看文档 {2}',
            'err.items.doc-where': '文档与筛选条件只能给一个',
            'err.items.no-clauses': '本数据库还没有问题分句(表 extraction_clause):请先运行 baogao extract',
            'err.recurring.by': '分布只能按机构或年份',
            'err.trend.words': '请给出 1 到 10 个词语,用空格分隔',
            'err.trend.words-max': '词语最多 10 个',
            'err.trend.by': '趋势只能按文档的分面分组',
            'err.keyness.target': '请给出目标的筛选条件(如 year>=2017)',
            'err.keyness.no-target': '没有文档符合目标条件 {0}',
            'err.keyness.no-reference': '参照中没有文档({0})',
            'err.keyness.empty-target': '目标文档中没有词',
            'err.keyness.empty-reference': '参照文档中没有词',
            'err.colloc.word': '请给出节点词',
            'err.colloc.window': '窗口写作 左,右(前后各 0 到 50 个词)',
            'err.word.absent': '"{0}"在语料中没有出现',
            'err.word.empty': '"{0}"中没有可检索的词(标点、符号、表情和空白不编入索引)',
            'err.word.not-utf8': '"{0}"不是有效的 UTF-8(第 {1} 字节)',
            'err.facet.syntax': '筛选条件"{0}"写法有误:应为 名称 运算符 值,运算符为 = != < <= > >= ~ 之一(如 year>=2000、doc=3)',
            'err.facet.unknown': '未知的分面"{0}"(可用:doc, file, kind{1})',
            'err.facet.number': '分面"{0}":{1}是数值,"{2}"不是数值',
            'err.facet.name-long': '分面名"{0}"太长',
            'err.facet.none': '没有文档符合筛选条件"{0}"',
            'err.facet.kind': '标注条件应写作 kind=theme、kind=problem 或 kind=commitment,而不是"{0}"',
            'err.facet.kind-twice': '标注条件给了两次("{0}"):句子筛选只能取一种标注',
            'err.query.empty': '查询为空',
            'err.query.nul': '查询中含有空字节(第 {0} 字节)',
            'err.query.not-utf8': '查询不是 UTF-8 编码(第 {0} 字节:0x{1})',
            'err.query.quote-open': '第 {0} 字节处的引号没有闭合',
            'err.query.quote-empty': '第 {0} 字节处的引号内没有要搜索的内容',
            'err.query.near-n': '第 {1} 字节处的 {0}:NEAR/N 的 N 应为 0 到 {2} 之间的词数',
            'err.query.near-group': '第 {0} 字节处的 NEAR 只能连接两个词或短语,不能连接括号中的组合',
            'err.query.near-chain': '第 {0} 字节处:两个 NEAR 之间请用 AND 连接(a NEAR b AND b NEAR c)',
            'err.query.after-missing': '第 {1} 字节处的 {0} 后面缺少词或短语',
            'err.query.after-not': '第 {1} 字节处的 {0} 后面应是词或短语,而不是第 {3} 字节处的 {2}(若要搜索运算符本身,请加引号:"{4}")',
            'err.query.before-missing': '第 {1} 字节处的 {0} 前面缺少词或短语(若要搜索它本身,请加引号:"{2}")',
            'err.query.too-many': '查询中的词和短语超过 {0} 个',
            'err.query.too-deep': '括号嵌套超过 {0} 层(第 {1} 字节)',
            'err.query.paren-empty': '第 {0} 字节处的括号内是空的',
            'err.query.paren-open': '第 {0} 字节处的左括号没有闭合',
            'err.query.paren-close': '第 {0} 字节处的右括号没有对应的左括号',
            'err.query.not-deep': 'NOT 嵌套超过 {0} 层',
            'err.query.not-empty': '第 {1} 字节处的 {0} 没有排除任何内容:它后面应是能找到内容的词、短语或组合(不能是另一个 NOT)',
            'err.query.only-not': '查询只有排除条件:请在 NOT 之外给出要找的词或短语(OR 的每一部分都要能找到内容)',
            'err.query.nothing': '第 {3} 字节处的{0}{1}{2}没有可搜索的内容(标点和空白不参与搜索;符号和表情参与)'
        },
        en: {
            search: 'Search', doc: 'Document', problems: 'Problems',
            commitments: 'Commitments', stats: 'Statistics', go: 'Search',
            hits: 'hits', noHits: 'No hits', prev: 'Previous', next: 'Next',
            page: 'page {0}', year: 'Year', org: 'Organisation', format: 'Format',
            genre: 'Genre', 'genre.workreport': 'work report', 'genre.complaint': 'complaint and reply',
            'genre.bulletin': 'bulletin', 'genre.policy': 'policy', 'genre.personal': 'first-person report',
            kind: 'Label', category: 'Category', theme: 'theme',
            problem: 'problem', commitment: 'commitment', documents: 'Documents',
            title: 'Title', csv: 'CSV', xlsx: 'Excel', graphml: 'GraphML',
            download: 'Download', showLoc: 'Show file offsets (bytes)',
            outline: 'Outline', explain: 'why', repairs: 'repaired',
            all: 'all', recurring: 'Recurring problems', instances: 'instances',
            threshold: 'Similarity threshold', apply: 'Apply',
            byCategory: 'Problems by category', problemList: 'Problem list',
            byActor: 'By actor and horizon', commitmentList: 'Commitment list',
            actor: 'Actor', horizon: 'Horizon', none: '(none)',
            where: 'Filter (e.g. year>=2017,org~Bureau)', stopwords: 'drop stopwords',
            boilerplate: 'drop boilerplate', wordList: 'Word list',
            wordCloud: 'Word cloud', trend: 'Trends', words: 'Words (space-separated)',
            keyness: 'Keyness', target: 'Target', reference: 'Reference',
            collocates: 'Collocates', word: 'Word', network: 'Co-occurrence network',
            loading: 'Loading…', total: '{0} in all', capped: '(too many: the best {0} are read; the count and the facets beside count those)',
            docsAll: 'All documents', cli: 'command line', rank: 'Rank',
            representative: 'Representative', keyTerms: 'Key terms', docs: 'Docs',
            orgs: 'Orgs', years: 'Years', file: 'File', clear: 'clear',
            filters: 'Filters', sentences: 'sentences', dupOf: 'This text repeats document {0}',
            noActor: '{0} of the {1} commitments name no actor; the chart shows those that do.',
            offsets: 'In its file (bytes)', open: 'click to open its instances', view: 'View', groups: 'groups',
            byYear: 'by year', byOrg: 'by organisation'
        }
    };
    var L = T.zh, info = null, main = document.getElementById('main');

    /* The text of key in the page's language with {N} replaced by the
     * N-th value after key (each {N}, once: a value is never read again,
     * and $ in a value is just text). */
    function t(key) {
        var s = L[key] || key, vals = Array.prototype.slice.call(arguments, 1);
        return s.replace(/\{(\d+)\}/g, function (m, n) {
            return n < vals.length ? String(vals[n]) : m;
        });
    }

    /* An API error {error, id, args} in the page's language: the text of
     * its id where the page has one (an English page shows the server's
     * own words), else the server's message, marked as such on a page in
     * another language. */
    function errorText(j, status) {
        if (j && j.id && L['err.' + j.id])
            return t.apply(null, ['err.' + j.id].concat(j.args || []));
        var msg = (j && j.error) || status;
        return L.errOther ? L.errOther + ' ' + msg : msg;
    }

    function qs(params) {
        return Object.keys(params).filter(function (k) {
            return params[k] !== undefined && params[k] !== null && params[k] !== '';
        }).map(function (k) {
            return encodeURIComponent(k) + '=' + encodeURIComponent(params[k]);
        }).join('&');
    }

    function apiUrl(name, params) {
        return '/api/' + name + '?' + qs(params);
    }

    function api(name, params) {
        return fetch(apiUrl(name, params)).then(function (r) {
            return r.json().catch(function () {
                return {error: r.status + ' ' + r.statusText};
            }).then(function (j) {
                if (!r.ok)
                    throw new Error(errorText(j, r.statusText));
                return j;
            });
        });
    }

    /* A facet value as the page shows it: a label kind or a genre (an
     * extraction rule's name) in the page's language where it has the
     * name, else as stored. */
    function facetText(f, v) {
        if (f === 'kind')
            return t(v);
        if (f === 'genre')
            return L['genre.' + v] || v;
        return v;
    }

    function copy(o, more) {
        var r = {};
        Object.keys(o || {}).forEach(function (k) { r[k] = o[k]; });
        Object.keys(more || {}).forEach(function (k) { r[k] = more[k]; });
        return r;
    }

    /* Links to the CSV and xlsx of an API table (and GraphML). */
    function downloads(name, params, graphml) {
        var fmts = ['csv', 'xlsx'].concat(graphml ? ['graphml'] : []);
        return el('span', {class: 'downloads'}, t('download') + ': ',
            fmts.map(function (f) {
                return el('a', {href: apiUrl(name, copy(params, {download: f, page: null, size: null})),
                    class: 'dl dl-' + f, download: '', text: t(f)});
            }));
    }

    function hash(page, params) {
        var q = qs(params || {});
        return '#/' + page + (q ? '?' + q : '');
    }

    function parseHash() {
        var h = location.hash.replace(/^#\/?/, ''), qi = h.indexOf('?');
        var path = (qi < 0 ? h : h.slice(0, qi)).split('/');
        var params = {};
        if (qi >= 0)
            h.slice(qi + 1).split('&').forEach(function (p) {
                if (!p)
                    return;
                var eq = p.indexOf('=');
                var k = decodeURIComponent(eq < 0 ? p : p.slice(0, eq));
                params[k] = eq < 0 ? '' : decodeURIComponent(p.slice(eq + 1).replace(/\+/g, ' '));
            });
        return {page: path[0] || 'search', arg: path[1], params: params};
    }

    function error(e) {
        main.appendChild(el('p', {class: 'error', text: String(e.message || e)}));
    }

    function section(title, id) {
        return el('section', {class: 'panel', id: id}, el('h2', {text: title}));
    }

    function chartBox(cls) {
        return el('div', {class: 'chart ' + (cls || '')});
    }

    function docLink(doc, start) {
        return hash('doc/' + doc, start !== undefined ? {s: start} : null);
    }

    /* A facet condition list for the query layer from the page's simple
     * filters. */
    function facetParams(p) {
        return {year: p.year, org: p.org, genre: p.genre, kind: p.kind, where: p.where};
    }

    /* Selects for year, organisation and genre, from /api/info. */
    function filterBar(page, p, extra) {
        function sel(name, values) {
            var s = el('select', {name: name},
                el('option', {value: '', text: t(name) + ': ' + t('all')}),
                values.map(function (v) {
                    var text = facetText(name, v[0]) + ' (' + v[1] + ')';
                    return el('option', {value: v[0], text: text, title: text,
                        selected: p[name] === v[0]});
                }));
            /* the chosen value in full, when the bounded box cuts it */
            s.title = s.options[s.selectedIndex].text;
            s.addEventListener('change', function () { s.title = s.options[s.selectedIndex].text; });
            return s;
        }
        var form = el('form', {class: 'filters'},
            info.years.length ? sel('year', info.years) : null,
            info.orgs.length ? sel('org', info.orgs) : null,
            info.genres && info.genres.length ? sel('genre', info.genres) : null,
            extra || null,
            el('button', {type: 'submit', text: t('apply')}));
        form.addEventListener('submit', function (ev) {
            ev.preventDefault();
            var np = {};
            Array.prototype.forEach.call(form.elements, function (e) {
                if (e.name && e.value)
                    np[e.name] = e.type === 'checkbox' ? (e.checked ? '1' : '0') : e.value;
                if (e.name && e.type === 'checkbox')
                    np[e.name] = e.checked ? '1' : '0';
            });
            location.hash = hash(page, np);
        });
        return form;
    }

    /* ---- Search ------------------------------------------------------ */

    /* The snippet with each 【match】 as <mark> (every occurrence the
     * search marked). */
    function snippet(s) {
        var out = el('span', {class: 'snippet'}), at = 0;
        for (;;) {
            var a = s.indexOf('【', at), b = a < 0 ? -1 : s.indexOf('】', a + 1);
            if (a < 0 || b < 0)
                break;
            out.appendChild(document.createTextNode(s.slice(at, a)));
            out.appendChild(el('mark', {text: s.slice(a + 1, b)}));
            at = b + 1;
        }
        out.appendChild(document.createTextNode(s.slice(at)));
        return out;
    }

    /* A snippet given as [[text, marked], ...] (api.c reads the 【】 of
     * the search against the sentence, so brackets written in a document
     * stay text). */
    function parts(ps) {
        var out = el('span', {class: 'snippet'});
        ps.forEach(function (p) {
            out.appendChild(p[1] ? el('mark', {text: p[0]}) : document.createTextNode(p[0]));
        });
        return out;
    }

    function pageSearch(p) {
        var input = el('input', {type: 'search', name: 'q', value: p.q || '',
            placeholder: '贫困户 / 貧困戶', autofocus: true});
        var form = el('form', {class: 'searchbar'}, input,
            el('button', {type: 'submit', text: t('go')}));
        form.addEventListener('submit', function (ev) {
            ev.preventDefault();
            location.hash = hash('search', {q: input.value});
        });
        main.appendChild(form);
        if (!p.q) {
            var dpage = parseInt(p.page || '0', 10) || 0, dsize = 100;
            return api('docs', {page: dpage, size: dsize}).then(function (d) {
                var s = section(t('docsAll'));
                s.appendChild(el('p', null, t('total', d.total), ' ', downloads('docs', {})));
                s.appendChild(BG.table([['doc', '#'], ['title', t('title')], ['year', t('year')],
                    ['org', t('org')], ['genre', t('genre')], ['format', t('format')], ['sentences', t('sentences')]],
                    d.rows.map(function (r) { return copy(r, {genre: r.genre && facetText('genre', r.genre)}); }),
                    function (c, r) { return c === 'title' ? docLink(r.doc) : null; }));
                s.appendChild(el('div', {class: 'pager'},
                    dpage > 0 ? el('a', {href: hash('search', {page: dpage - 1}), text: t('prev')}) : null,
                    el('span', {text: t('page', dpage + 1)}),
                    (dpage + 1) * dsize < d.total ? el('a', {class: 'next', href: hash('search', {page: dpage + 1}), text: t('next')}) : null));
                main.appendChild(s);
            });
        }
        var size = 20, page = parseInt(p.page || '0', 10) || 0;
        var params = {q: p.q, year: p.year, org: p.org, genre: p.genre, kind: p.kind,
            format: p.format, category: p.category, where: p.where};
        return api('search', copy(params, {page: page, size: size})).then(function (d) {
            var facets = el('aside', {class: 'facets'});
            ['year', 'org', 'genre', 'format', 'kind', 'category'].forEach(function (f) {
                var vals = d.facets[f] || [];
                if (!vals.length && !p[f])
                    return;
                var ul = el('ul');
                if (p[f])
                    ul.appendChild(el('li', {class: 'active'},
                        el('a', {href: hash('search', copy(params, {[f]: null})),
                            text: '✕ ' + facetText(f, p[f])})));
                vals.forEach(function (v) {
                    ul.appendChild(el('li', null,
                        el('a', {href: hash('search', copy(params, {[f]: v[0]})),
                            'data-facet': f, 'data-value': v[0], text: facetText(f, v[0])}),
                        el('span', {class: 'count', text: v[1]})));
                });
                facets.appendChild(el('div', {class: 'facet'}, el('h3', {text: t(f)}), ul));
            });
            var list = el('ol', {class: 'hits', start: d.first + 1});
            d.rows.forEach(function (r) {
                var loc = el('div', {class: 'loc', text: r.file + ' ' + r.start + '–' + r.end});
                list.appendChild(el('li', {class: 'hit', 'data-doc': r.doc, 'data-start': r.start},
                    el('a', {class: 'title', href: docLink(r.doc, r.start), text: r.title || ('#' + r.doc)}),
                    el('span', {class: 'meta', text: [r.year, r.org, r.genre && facetText('genre', r.genre), (r.kinds || '').split(',').filter(Boolean).map(t).join('·'), r.category].filter(Boolean).join(' · ')}),
                    el('div', null, r.snippet_parts ? parts(r.snippet_parts) : snippet(r.snippet || r.text)), loc));
            });
            var pager = el('div', {class: 'pager'},
                page > 0 ? el('a', {href: hash('search', copy(params, {page: page - 1})), text: t('prev')}) : null,
                el('span', {text: t('page', page + 1)}),
                (page + 1) * size < d.total ? el('a', {class: 'next', href: hash('search', copy(params, {page: page + 1})), text: t('next')}) : null);
            var results = el('div', {class: 'results'},
                el('p', {class: 'count-line'},
                    el('span', {class: 'total', text: d.total}), ' ' + t('hits') + ' ',
                    d.capped ? el('span', {class: 'capped', text: t('capped', d.counted)}) : '', ' ',
                    el('label', {class: 'toggle'}, el('input', {type: 'checkbox', onchange: function (ev) {
                        document.body.classList.toggle('show-loc', ev.target.checked);
                    }}), t('showLoc')), ' ', downloads('search', params)),
                d.total ? list : el('p', {text: t('noHits')}), pager);
            main.appendChild(el('div', {class: 'search-layout'}, facets, results));
        });
    }

    /* ---- Document ----------------------------------------------------- */

    /* Sentence text with the clauses of its items marked: spans [a, b,
     * kind, title] that do not overlap. */
    function markedText(text, marks) {
        var out = [], at = 0;
        marks.sort(function (x, y) { return x[0] - y[0]; }).forEach(function (m) {
            if (m[0] < at)
                return;
            if (m[0] > at)
                out.push(document.createTextNode(text.slice(at, m[0])));
            out.push(el('mark', {class: 'hl-' + m[2], title: m[3], 'data-kind': m[2], text: text.slice(m[0], m[1])}));
            at = m[1];
        });
        if (at < text.length)
            out.push(document.createTextNode(text.slice(at)));
        return out;
    }

    function itemNote(kind, it) {
        var parts = [t(kind)];
        if (it.category)
            parts.push(t('category') + ': ' + it.category);
        if (it.actor)
            parts.push(t('actor') + ': ' + it.actor);
        if (it.horizon)
            parts.push(t('horizon') + ': ' + it.horizon);
        if (it.context)
            parts.push('context: ' + it.context);
        return parts.join(' · ');
    }

    function pageDoc(id, p) {
        return api('doc', {id: id}).then(function (d) {
            if (d.dup_of) {
                main.appendChild(el('p', {class: 'note'}, t('dupOf', d.dup_of), ' ',
                    el('a', {href: docLink(d.dup_of), text: '#' + d.dup_of})));
                return;
            }
            var doc = d.doc, byStart = {};
            ['theme', 'problem', 'commitment'].forEach(function (k) {
                d.items[k].forEach(function (it) {
                    (byStart[it.start] = byStart[it.start] || []).push([k, it]);
                });
            });
            var counts = ['theme', 'problem', 'commitment'].map(function (k) {
                return el('span', {class: 'legend lg-' + k, text: t(k) + ' ' + d.items[k].length});
            });
            var head = el('div', {class: 'doc-head'},
                el('h2', {text: doc.title || ('#' + doc.doc)}),
                el('p', {class: 'meta', text: [doc.author, doc.org, doc.date || doc.year, doc.format, doc.encoding].filter(Boolean).join(' · ')}),
                el('p', {class: 'loc', text: t('file') + ': ' + doc.file + ' [' + doc.start + ', ' + doc.end + ')'}),
                el('p', {class: 'toolbar'}, counts,
                    el('label', {class: 'toggle'}, el('input', {type: 'checkbox', id: 'show-loc', onchange: function (ev) {
                        document.body.classList.toggle('show-loc', ev.target.checked);
                    }}), t('showLoc')),
                    el('span', {class: 'downloads'}, t('problemList') + ' ',
                        el('a', {href: apiUrl('items', {kind: 'problem', doc: id, explain: 1, download: 'xlsx'}), download: '', text: t('xlsx')}), ' ',
                        el('a', {href: apiUrl('items', {kind: 'problem', doc: id, explain: 1, download: 'csv'}), download: '', text: t('csv')})),
                    ' ', downloads('doc', {id: id})));
            var body = el('article', {class: 'doc-text'}), para = null, line = -1;
            d.sentences.forEach(function (s) {
                if (s.line !== line || s.outline > 0) {
                    para = el('p', {class: s.outline > 0 ? 'outline-item' : null});
                    body.appendChild(para);
                    line = s.line;
                }
                var items = byStart[s.start] || [], marks = [], kinds = {};
                items.forEach(function (ki) {
                    var k = ki[0], it = ki[1];
                    kinds[k] = 1;
                    if (k === 'theme' || !it.clause)
                        return;
                    var a = s.text.indexOf(it.clause);
                    if (a >= 0)
                        marks.push([a, a + it.clause.length, k, itemNote(k, it)]);
                    else
                        marks.push([0, s.text.length, k, itemNote(k, it)]);
                });
                var cls = ['sent'].concat(Object.keys(kinds).map(function (k) { return 'is-' + k; }));
                var span = el('span', {class: cls.join(' '), id: 's' + s.sentence,
                    'data-start': s.start, 'data-end': s.end, 'data-seq': s.sentence},
                    el('span', {class: 'loc', text: '[' + s.start + '–' + s.end + ']'}),
                    markedText(s.text, marks));
                if (s.repairs)
                    span.appendChild(el('span', {class: 'repair', title: s.repairs, text: t('repairs') + ': ' + s.repairs}));
                if (items.length) {
                    var box = el('div', {class: 'explain', hidden: true});
                    items.forEach(function (ki) {
                        box.appendChild(el('div', null,
                            el('strong', {text: itemNote(ki[0], ki[1])}), ' ',
                            el('span', {text: (ki[1].rule || '') + ': ' + (ki[1].explain || '')})));
                    });
                    box.appendChild(el('code', {text: 'baogao ' + (items[0][0] === 'theme' ? 'themes' : items[0][0] + 's') + ' --doc ' + id + ' --explain'}));
                    span.appendChild(el('a', {class: 'why', href: '#', text: t('explain'), onclick: function (ev) {
                        ev.preventDefault();
                        box.hidden = !box.hidden;
                    }}));
                    span.appendChild(box);
                }
                para.appendChild(span);
                para.appendChild(document.createTextNode(' '));
            });
            var ol = el('ul', {class: 'outline'});
            d.outline.forEach(function (o) {
                ol.appendChild(el('li', {style: 'padding-left:' + (o.depth * 0.9) + 'em'},
                    el('a', {href: '#', text: o.phrase || o.text, onclick: function (ev) {
                        ev.preventDefault();
                        var n = document.getElementById('s' + o.seq);
                        if (n)
                            n.scrollIntoView({block: 'center'});
                    }})));
            });
            main.appendChild(head);
            main.appendChild(el('div', {class: 'doc-layout'},
                el('aside', {class: 'doc-outline'}, el('h3', {text: t('outline')}), ol), body));
            if (p.s) {
                var target = body.querySelector('[data-start="' + parseInt(p.s, 10) + '"]');
                if (target) {
                    target.classList.add('focus');
                    target.scrollIntoView({block: 'center'});
                }
            }
        });
    }

    /* ---- Problems ----------------------------------------------------- */

    /* Columns of a recurring group (the rest describe its instances). */
    var GROUP_COLS = {group: 1, docs: 1, orgs: 1, years: 1, key_terms: 1, representative: 1};

    function groupsOf(rows) {
        var groups = [], by = {};
        rows.forEach(function (r) {
            if (!(r.group in by)) {
                by[r.group] = {rank: r.group, docs: r.docs, orgs: r.orgs, years: r.years,
                    key_terms: r.key_terms, representative: r.representative, instances: []};
                groups.push(by[r.group]);
            }
            by[r.group].instances.push(r);
        });
        return groups;
    }

    /* The instance table's columns: year, organisation, title, clause,
     * where it is in its file (bytes), similarity, then any other column
     * the API gives. */
    function instanceCols(columns) {
        var shown = {doc: 1, file: 1, start: 1, end: 1, loc: 1, year: 1, org: 1, title: 1, clause: 1, similarity: 1};
        var cols = [['year', t('year')], ['org', t('org')], ['title', t('title')], ['clause', t('problem')],
            ['loc', t('offsets')], ['similarity', 'cos']];
        columns.forEach(function (c) {
            if (!shown[c] && !GROUP_COLS[c])
                cols.push([c, t(c)]);
        });
        return cols;
    }

    function valueOf(v) {
        return v === null || v === undefined || v === '' ? t('none') : String(v);
    }

    /* The cells of a groups x years (or organisations) view from the
     * groups' instances: {group, value, instances, docs}. */
    function cellsOf(groups, key) {
        var cells = [];
        groups.forEach(function (g) {
            var at = {}, docs = {};
            g.instances.forEach(function (r) {
                var v = valueOf(r[key]);
                if (!(v in at)) {
                    at[v] = {group: g.rank, value: v, instances: 0, docs: 0};
                    docs[v] = {};
                    cells.push(at[v]);
                }
                at[v].instances++;
                if (!docs[v][r.doc]) {
                    docs[v][r.doc] = 1;
                    at[v].docs++;
                }
            });
        });
        return cells;
    }

    /* Groups x values: each group's instances (and documents) in each year
     * or organisation, from cells (cellsOf, or the API's by= view). */
    function spread(groups, cells, key, label) {
        var vals = [], total = {}, by = {}, most = 1;
        cells.forEach(function (c) {
            if (!(c.value in total)) {
                total[c.value] = 0;
                vals.push(c.value);
            }
            total[c.value] += c.instances;
            by[c.group + '\u0000' + c.value] = c;
            most = Math.max(most, c.instances);
        });
        if (key === 'year')
            vals.sort();
        else
            vals.sort(function (x, y) { return total[y] - total[x]; });
        var head = el('tr', null, el('th', {text: t('rank')}), el('th', {text: t('representative')}),
            vals.map(function (v) { return el('th', {class: 'vert', text: v}); }));
        var body = groups.map(function (g) {
            return el('tr', {'data-group': g.rank}, el('td', {class: 'num', text: g.rank}),
                el('td', {class: 'rep', text: g.representative}),
                vals.map(function (v) {
                    var c = by[g.rank + '\u0000' + v], k = c ? c.instances : 0;
                    return el('td', {class: 'heat num', 'data-n': k,
                        title: c ? label + ' ' + v + ': ' + k + ' ' + t('instances') + ', ' + c.docs + ' ' + t('documents') + (c.example ? '\n' + c.example : '') : null,
                        style: k ? 'background: rgba(194,53,49,' + (0.15 + 0.65 * k / most).toFixed(2) + ')' : null,
                        text: k || ''});
                }));
        });
        return el('div', {class: 'spread'}, el('table', {class: 'grid heatmap', 'data-by': key},
            el('thead', null, head), el('tbody', null, body)));
    }

    /* doc id -> organisation, from /api/docs (once a page load). */
    var orgsOnce = null;
    function docsOrgs() {
        if (!orgsOnce)
            orgsOnce = api('docs', {}).then(function (d) {
                var m = {};
                d.rows.forEach(function (r) { m[r.doc] = r.org; });
                return m;
            });
        return orgsOnce;
    }

    function pageProblems(p) {
        var thr = el('input', {type: 'number', name: 'threshold', min: 0, max: 1, step: 0.05,
            value: p.threshold || '0.5'});
        var cats = el('select', {name: 'category'}, el('option', {value: '', text: t('category') + ': ' + t('all')}),
            info.categories.map(function (c) {
                return el('option', {value: c[0], text: c[0] + ' (' + c[1] + ')', selected: p.category === c[0]});
            }));
        main.appendChild(filterBar('problems', p, [cats, el('label', null, t('threshold') + ' ', thr)]));
        var f = facetParams(p);
        var rec = section(t('recurring'), 'recurring'), catSec = section(t('byCategory'), 'categories'),
            list = section(t('problemList'), 'problem-list');
        main.appendChild(rec);
        main.appendChild(el('div', {class: 'two'}, catSec, list));
        var recParams = copy(f, {threshold: p.threshold || 0.5, top: 30, category: p.category});
        var a = Promise.all([api('recurring', recParams), docsOrgs()]).then(function (res) {
            var d = res[0], orgOf = res[1];
            d.rows.forEach(function (r) {
                r.org = r.org || orgOf[r.doc] || null;
                r.loc = String(r.file || '').replace(/^.*\//, '') + ' ' + r.start + '–' + r.end;
            });
            rec.appendChild(downloads('recurring', recParams));
            var groups = groupsOf(d.rows), tb = el('tbody'), cols = instanceCols(d.columns);
            groups.forEach(function (g) {
                var inst = el('tr', {class: 'instances', hidden: true},
                    el('td', {colspan: 6}, BG.table(cols, g.instances,
                        function (c, r) { return c === 'title' ? docLink(r.doc, r.start) : null; })));
                var row = el('tr', {class: 'group', 'data-group': g.rank, title: t('open'),
                    onclick: function () {
                        inst.hidden = !inst.hidden;
                        row.classList.toggle('open', !inst.hidden);
                    }},
                    el('td', {class: 'num', text: g.rank}),
                    el('td', null, el('span', {class: 'twisty'}), g.representative,
                        el('span', {class: 'count', text: ' (' + g.instances.length + ' ' + t('instances') + ')'})),
                    el('td', {class: 'terms', text: g.key_terms}), el('td', {class: 'num', text: g.docs}),
                    el('td', {class: 'num', text: g.orgs}), el('td', {class: 'num', text: g.years}));
                tb.appendChild(row);
                tb.appendChild(inst);
            });
            if (!groups.length) {
                rec.appendChild(el('p', {text: t('noHits')}));
                return;
            }
            var view = el('select', {class: 'view'}, ['groups', 'byYear', 'byOrg'].map(function (v) {
                return el('option', {value: v, text: t(v)});
            }));
            var box = el('div');
            /* a view by year or organisation: the API's (by=, one row per
             * group and value) where it gives one, else from the instances */
            function show() {
                var key = {byYear: 'year', byOrg: 'org'}[view.value];
                box.textContent = '';
                if (!key) {
                    box.appendChild(el('table', {class: 'grid groups'},
                        el('thead', null, el('tr', null, [t('rank'), t('representative'), t('keyTerms'), t('docs'), t('orgs'), t('years')].map(function (h) { return el('th', {text: h}); }))), tb));
                    return;
                }
                api('recurring', copy(recParams, {by: key})).then(function (v) {
                    var cells = v.columns.indexOf('n_docs') < 0 ? cellsOf(groups, key)
                        : v.rows.map(function (r) {
                            return {group: r.group, value: valueOf(r[key]), instances: r.instances,
                                docs: r.n_docs, example: r.example};
                        });
                    box.textContent = '';
                    box.appendChild(spread(groups, cells, key, t(key)));
                }).catch(function (e) { box.appendChild(el('p', {class: 'error', text: e.message})); });
            }
            view.addEventListener('change', show);
            rec.appendChild(el('label', {class: 'toggle'}, t('view') + ' ', view));
            rec.appendChild(box);
            show();
        });
        var b = api('categories', f).then(function (d) {
            catSec.appendChild(downloads('categories', f));
            var box = chartBox();
            box.style.height = BG.barHeight(d.rows.length) + 'px';
            catSec.appendChild(box);
            BG.bar(box, d.rows.map(function (r) { return r.category || t('none'); }),
                d.rows.map(function (r) { return r.problems; }));
        });
        var page = parseInt(p.page || '0', 10) || 0;
        var lp = copy(f, {kind: 'problem', category: p.category});
        var c = api('items', copy(lp, {page: page, size: 50})).then(function (d) {
            list.appendChild(el('p', null, t('total', d.total), ' ', downloads('items', copy(lp, {explain: 1}))));
            list.appendChild(BG.table([['year', t('year')], ['title', t('title')], ['clause', t('problem')], ['category', t('category')]],
                d.rows, function (col, r) { return col === 'title' ? docLink(r.doc, r.start) : null; }));
            if ((page + 1) * 50 < d.total)
                list.appendChild(el('a', {href: hash('problems', copy(p, {page: page + 1})), text: t('next')}));
        });
        return Promise.all([a, b, c]);
    }

    /* ---- Commitments -------------------------------------------------- */

    function pageCommitments(p) {
        main.appendChild(filterBar('commitments', p));
        var f = facetParams(p);
        var by = section(t('byActor'), 'by-actor'), list = section(t('commitmentList'), 'commitment-list');
        main.appendChild(by);
        main.appendChild(list);
        var a = api('commitments_by', f).then(function (d) {
            by.appendChild(downloads('commitments_by', f));
            var actors = [], horizons = [], cell = {}, noActor = 0, all = 0;
            d.rows.forEach(function (r) {
                var ac = r.actor || t('none'), h = r.horizon || t('none');
                all += r.commitments;
                if (!r.actor) { /* the chart compares named actors */
                    noActor += r.commitments;
                    return;
                }
                if (actors.indexOf(ac) < 0 && actors.length < 15)
                    actors.push(ac);
                if (horizons.indexOf(h) < 0)
                    horizons.push(h);
                cell[ac + '\u0000' + h] = r.commitments;
            });
            by.appendChild(el('p', {class: 'meta', text: t('noActor', noActor, all)}));
            var box = chartBox();
            by.appendChild(box);
            BG.stacked(box, actors, horizons.map(function (h) {
                return {name: h, data: actors.map(function (ac) { return cell[ac + '\u0000' + h] || 0; })};
            }));
            by.appendChild(BG.table([['actor', t('actor')], ['horizon', t('horizon')], ['commitments', t('commitments')], ['documents', t('documents')]],
                d.rows.map(function (r) {
                    return {actor: r.actor || t('none'), horizon: r.horizon || t('none'), commitments: r.commitments, documents: r.documents};
                })));
        });
        var page = parseInt(p.page || '0', 10) || 0, lp = copy(f, {kind: 'commitment'});
        var b = api('items', copy(lp, {page: page, size: 50})).then(function (d) {
            list.appendChild(el('p', null, t('total', d.total), ' ', downloads('items', lp)));
            list.appendChild(BG.table([['year', t('year')], ['title', t('title')], ['actor', t('actor')], ['horizon', t('horizon')], ['mode', 'mode'], ['clause', t('commitment')]],
                d.rows, function (col, r) { return col === 'title' ? docLink(r.doc, r.start) : null; }));
            if ((page + 1) * 50 < d.total)
                list.appendChild(el('a', {href: hash('commitments', copy(p, {page: page + 1})), text: t('next')}));
        });
        return Promise.all([a, b]);
    }

    /* ---- Statistics --------------------------------------------------- */

    function pageStats(p) {
        var where = el('input', {type: 'text', name: 'where', value: p.where || '', placeholder: t('where'), size: 30});
        var stop = el('input', {type: 'checkbox', name: 'stopwords', checked: p.stopwords !== '0'});
        var boiler = el('input', {type: 'checkbox', name: 'boilerplate', checked: p.boilerplate === '1'});
        var words = el('input', {type: 'text', name: 'words', value: p.words || '', placeholder: t('words')});
        var target = el('input', {type: 'text', name: 'target', value: p.target || '', placeholder: t('target') + ' (year>=2017)'});
        var reference = el('input', {type: 'text', name: 'reference', value: p.reference || '', placeholder: t('reference') + ' (year<2017)'});
        var word = el('input', {type: 'text', name: 'word', value: p.word || '', placeholder: t('word')});
        main.appendChild(filterBar('stats', p, [where, el('label', null, stop, t('stopwords')), el('label', null, boiler, t('boilerplate'))]));
        var sp = {where: p.where, year: p.year, org: p.org, genre: p.genre, stopwords: p.stopwords || '1', boilerplate: p.boilerplate || '0'};
        var secFreq = section(t('wordList'), 'freq'), secCloud = section(t('wordCloud'), 'cloud'),
            secTrend = section(t('trend'), 'trend'), secKey = section(t('keyness'), 'keyness'),
            secColl = section(t('collocates'), 'collocates'), secNet = section(t('network'), 'network');
        main.appendChild(el('div', {class: 'two'}, secFreq, secCloud));
        main.appendChild(el('div', {class: 'two'}, secTrend, secNet));
        main.appendChild(el('div', {class: 'two'}, secKey, secColl));
        function sub(sec, inputs, name) {
            var f = el('form', {class: 'inline'}, inputs, el('button', {type: 'submit', text: t('apply')}));
            f.addEventListener('submit', function (ev) {
                ev.preventDefault();
                var np = copy(p);
                inputs.forEach(function (i) { np[i.name] = i.value; });
                location.hash = hash('stats', np);
            });
            sec.appendChild(f);
            return name;
        }
        sub(secTrend, [words]);
        sub(secKey, [target, reference]);
        sub(secColl, [word]);
        return api('freq', copy(sp, {top: 100})).then(function (d) {
            var fp = copy(sp, {top: 100});
            secFreq.appendChild(downloads('freq', fp));
            var bars = chartBox('tall');
            secFreq.appendChild(bars);
            var top = d.rows.slice(0, 30);
            BG.bar(bars, top.map(function (r) { return r.term; }), top.map(function (r) { return r.freq; }));
            secFreq.appendChild(el('details', null, el('summary', {text: t('wordList') + ' (' + d.rows.length + ')'}),
                BG.table([['rank', '#'], ['term', t('word')], ['freq', 'freq'], ['per_million', 'per million'], ['range', 'range'], ['dp', 'DP']], d.rows)));
            var cloud = chartBox('tall');
            secCloud.appendChild(cloud);
            BG.cloud(cloud, d.rows.map(function (r) { return {name: r.term, value: r.freq}; }));
            var ws = p.words || d.rows.slice(0, 3).map(function (r) { return r.term; }).join(' ');
            words.value = ws;
            var jobs = [];
            if (ws)
                jobs.push(api('trend', copy(sp, {words: ws})).then(function (tr) {
                    var gcol = tr.columns[0], xs = [], series = {};
                    tr.rows.forEach(function (r) {
                        var x = String(r[gcol]) || '—';
                        if (xs.indexOf(x) < 0)
                            xs.push(x);
                        (series[r.term] = series[r.term] || []).push(r.per_million);
                    });
                    secTrend.appendChild(downloads('trend', copy(sp, {words: ws})));
                    var box = chartBox();
                    secTrend.appendChild(box);
                    BG.lines(box, xs, Object.keys(series).map(function (k) { return {name: k, data: series[k]}; }), 'per million');
                }));
            var years = info.years.map(function (y) { return parseInt(y[0], 10); }).sort();
            var tg = p.target, rf = p.reference;
            if (!tg && years.length > 1) {
                tg = 'year>=' + years[years.length - 1];
                rf = 'year<' + years[years.length - 1];
            }
            if (tg) {
                target.value = tg;
                reference.value = rf || '';
                var kp = copy(sp, {target: tg, reference: rf, top: 20});
                jobs.push(api('keyness', kp).then(function (k) {
                    secKey.appendChild(downloads('keyness', kp));
                    secKey.appendChild(BG.table([['direction', '±'], ['term', t('word')], ['freq_target', t('target')], ['freq_reference', t('reference')], ['g2_4term', 'G²'], ['log_ratio_zero_half', 'Log Ratio']], k.rows));
                }).catch(function (e) { secKey.appendChild(el('p', {class: 'error', text: e.message})); }));
            }
            var wd = p.word || (d.rows[0] && d.rows[0].term);
            if (wd) {
                word.value = wd;
                var cp = copy(sp, {word: wd, top: 20});
                jobs.push(api('collocates', cp).then(function (k) {
                    secColl.appendChild(downloads('collocates', cp));
                    secColl.appendChild(BG.table([['collocate', t('word')], ['o11', 'o11'], ['log_dice', 'logDice'], ['mi', 'MI'], ['t_score', 't'], ['g2', 'G²']], k.rows));
                }).catch(function (e) { secColl.appendChild(el('p', {class: 'error', text: e.message})); }));
            }
            var np = copy(sp, {top: 30, min_freq: 3});
            jobs.push(api('cooc', np).then(function (c) {
                secNet.appendChild(downloads('cooc', np, true));
                var box = chartBox('tall');
                secNet.appendChild(box);
                BG.network(box, c.rows);
            }));
            return Promise.all(jobs);
        });
    }

    /* ---- routing ------------------------------------------------------ */

    var PAGES = {search: pageSearch, problems: pageProblems, commitments: pageCommitments, stats: pageStats};

    function render() {
        var r = parseHash();
        main.textContent = '';
        document.body.classList.remove('show-loc');
        document.body.setAttribute('data-page', r.page);
        document.body.setAttribute('data-ready', '0');
        document.querySelectorAll('#nav a').forEach(function (a) {
            a.classList.toggle('current', a.getAttribute('data-page') === r.page);
        });
        var job;
        if (r.page === 'doc' && r.arg)
            job = pageDoc(r.arg, r.params);
        else
            job = (PAGES[r.page] || pageSearch)(r.params);
        Promise.resolve(job).catch(error).then(function () {
            document.body.setAttribute('data-ready', '1');
        });
    }

    api('info', {}).then(function (i) {
        info = i;
        L = T[i.lang] || T.zh;
        document.documentElement.lang = i.lang === 'en' ? 'en' : 'zh-CN';
        document.title = 'baogao · ' + i.db;
        var nav = document.getElementById('nav');
        ['search', 'problems', 'commitments', 'stats'].forEach(function (pg) {
            nav.appendChild(el('a', {href: hash(pg), 'data-page': pg, text: t(pg)}));
        });
        var c = i.counts || {};
        document.getElementById('dbname').textContent = i.db + ' · ' + (c.documents || 0) + ' ' + t('documents');
        window.addEventListener('hashchange', render);
        render();
    }).catch(error);
})();
