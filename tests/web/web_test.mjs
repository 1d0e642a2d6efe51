// web_test.mjs - baogao's web workspace and report in Debian's Chromium,
// driven by playwright-core (run by run.sh, which starts the server).
// Expected values come from the baogao command line on the same database
// (the CLI's own tests check those against hand-worked data), so the page
// is checked against what the read side says, not against itself.
// Ends with "N passed, N failed"; exit status 1 when any failed.
import {chromium} from 'playwright-core';
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';

const URL = process.env.BAOGAO_URL, BAOGAO = process.env.BAOGAO;
const DB = process.env.BAOGAO_DB, ART = process.env.ARTIFACTS;
let passed = 0, failed = 0;

function cli(...args) {
    // maxBuffer: the JSON of every commitment of the demo corpus passes
    // Node's 1 MiB default once the metadata columns are filled
    return execFileSync(BAOGAO, ['--db', DB, ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024});
}
function cliJson(...args) {
    return JSON.parse(cli('--format', 'json', ...args));
}
function check(name, ok, detail) {
    if (ok) {
        passed++;
        console.log(`ok   ${name}`);
    } else {
        failed++;
        console.log(`FAIL ${name}${detail ? ': ' + detail : ''}`);
    }
}
async function step(name, fn) {
    try {
        await fn();
    } catch (e) {
        check(name, false, e.stack || String(e));
    }
}

// Pixels drawn (alpha > 0) in the most inked canvas under sel.
async function ink(page, sel) {
    return page.$eval(sel, (n) => {
        let best = 0;
        n.querySelectorAll('canvas').forEach((c) => {
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let k = 0;
            for (let i = 3; i < d.length; i += 4)
                if (d[i] > 0) k++;
            best = Math.max(best, k);
        });
        return best;
    });
}
// Waits until every chart under sel has finished drawing (ECharts'
// 'finished' event, data-chart="drawn") and has at least min pixels.
async function waitInk(page, sel, min = 2000, ms = 15000) {
    const end = Date.now() + ms;
    let k = 0;
    await page.waitForFunction((s) => {
        const ns = document.querySelectorAll(s + ' [data-chart]');
        return ns.length > 0 && [...ns].every((n) => n.getAttribute('data-chart') === 'drawn');
    }, sel, {timeout: ms}).catch(() => {});
    while (Date.now() < end) {
        k = await ink(page, sel).catch(() => 0);
        if (k >= min) return k;
        await page.waitForTimeout(200);
    }
    return k;
}
async function open(page, hash) {
    await page.goto(URL + '/' + hash);
    await page.waitForFunction(() => document.body.getAttribute('data-ready') === '1', null, {timeout: 30000});
}

/* Clicks a link that changes the hash and waits for the page it renders.
 * The app renders on the hashchange event, after the click returns, so
 * until then the previous page is shown with data-ready still '1': the
 * flag is cleared first so that only the new render can set it. */
async function clickAndRender(page, link, inHash) {
    await page.evaluate(() => document.body.setAttribute('data-ready', '0'));
    await link.click();
    await page.waitForFunction((h) => location.hash.includes(h) && document.body.getAttribute('data-ready') === '1', inHash);
}

const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({viewport: {width: 1360, height: 900}, acceptDownloads: true});
const page = await context.newPage();
const pageErrors = [], dialogs = [], outside = [];
page.on('pageerror', (e) => pageErrors.push(String(e)));
const consoleErrors = [];
page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
page.on('request', (r) => { if (!r.url().startsWith(URL)) outside.push(r.url()); });

await step('search: 贫困户 and 貧困戶 show the same hits, those of baogao search', async () => {
    const hits = async (q) => {
        await open(page, '#/search?q=' + encodeURIComponent(q));
        return page.$$eval('li.hit', (ls) => ls.map((l) => l.dataset.doc + ':' + l.dataset.start));
    };
    const simp = await hits('贫困户');
    await page.screenshot({path: join(ART, 'search.png'), fullPage: false});
    const trad = await hits('貧困戶');
    const want = cliJson('search', '贫困户', '--limit', '20').map((r) => r.doc + ':' + r.start);
    check('search: hits found', simp.length > 0 && simp.length === want.length, `${simp.length} vs ${want.length}`);
    check('search: Simplified = Traditional', JSON.stringify(simp) === JSON.stringify(trad), `${simp} / ${trad}`);
    check('search: page = baogao search', JSON.stringify(simp) === JSON.stringify(want), `${simp} / ${want}`);
    const marks = await page.$$eval('li.hit', (ls) => ls.map((l) => [...l.querySelectorAll('mark')].map((m) => m.textContent)));
    const api = await (await page.request.get(URL + '/api/search?q=' + encodeURIComponent('貧困戶') + '&size=20')).json();
    const apiMarks = api.rows.map((r) => r.snippet_parts.filter((p) => p[1]).map((p) => p[0]));
    check('search: snippets mark the match', marks.length === simp.length && marks.every((ms) => ms.length > 0 && ms.every((m) => m === '貧困戶' || m === '贫困户')), JSON.stringify(marks));
    check('search: every occurrence the search marks is marked', JSON.stringify(marks) === JSON.stringify(apiMarks), JSON.stringify(marks) + ' / ' + JSON.stringify(apiMarks));
    const shown = await page.$$eval('li.hit .snippet', (ss) => ss.map((x) => x.textContent));
    const occ = shown.map((x) => (x.match(/貧困戶|贫困户/g) || []).length);
    check('search: every occurrence in a snippet is marked (a plain count)', occ.some((n) => n > 1) && JSON.stringify(occ) === JSON.stringify(marks.map((m) => m.length)), JSON.stringify(occ));
    await open(page, '#/search?q=' + encodeURIComponent('改革 企业'));
    const both = await page.$$eval('li.hit .snippet', (ss) => ss.map((x) => [x.textContent, [...x.querySelectorAll('mark')].map((m) => m.textContent)]));
    const missed = both.filter(([txt, ms]) => (txt.match(/改革|企业/g) || []).length !== ms.length || ms.some((m) => m !== '改革' && m !== '企业'));
    check('search: every part of a two-word query is marked in the snippets', both.length > 0 && missed.length === 0 && both.some(([, ms]) => ms.includes('改革') && ms.includes('企业')), JSON.stringify(missed.slice(0, 3)));
});

await step('search: a facet narrows the hits to its count', async () => {
    await open(page, '#/search?q=' + encodeURIComponent('贫困'));
    const facet = await page.$('a[data-facet="kind"]');
    const count = facet ? Number(await facet.evaluate((a) => a.nextElementSibling.textContent)) : -1;
    await clickAndRender(page, facet, 'kind=');
    const total = Number(await page.textContent('.total'));
    check('search: facet count = hits after choosing it', count > 0 && count === total, `${count} vs ${total}`);
});

await step('search: the genre facet narrows the hits to its count, named in Chinese', async () => {
    await open(page, '#/search?q=' + encodeURIComponent('发展'));
    const facet = await page.$('a[data-facet="genre"][data-value="workreport"]');
    const label = facet ? await facet.textContent() : '';
    const count = facet ? Number(await facet.evaluate((a) => a.nextElementSibling.textContent)) : -1;
    const want = cliJson('search', '发展', '--limit', '0', '--where', 'genre=workreport').length;
    check('search: the work reports\' genre facet counts their hits', count === want && count > 0, `${count} vs ${want}`);
    check('search: the genre named in the page\'s language', label === '工作报告', label);
    await clickAndRender(page, facet, 'genre=');
    const total = Number(await page.textContent('.total'));
    check('search: genre facet count = hits after choosing it', total === count, `${total} vs ${count}`);
    await open(page, '#/stats');
    const opts = await page.$$eval('select[name="genre"] option', (os) => os.map((o) => o.value).filter(Boolean));
    const docs = [...new Set(cliJson('docs').map((d) => d.genre).filter(Boolean))].sort();
    check('statistics: the genre filter offers every genre of the documents', JSON.stringify(opts.sort()) === JSON.stringify(docs), `${opts} / ${docs}`);
});

// A seed document with problems, as the command line lists them.
const docs = cliJson('docs').filter((d) => /seed-compilation/.test(d.file) && !d.dup_of);
let seedDoc = null, seedProblems = [];
for (const d of docs) {
    const ps = cliJson('problems', '--doc', String(d.doc));
    if (ps.length >= 2) {
        seedDoc = d.doc;
        seedProblems = ps;
        break;
    }
}

await step('document: the problems of a seed document are highlighted at their clauses', async () => {
    check('document: a seed document with problems exists', seedDoc !== null);
    await open(page, '#/doc/' + seedDoc);
    await page.screenshot({path: join(ART, 'document.png'), fullPage: false});
    let found = 0;
    const missing = [];
    for (const p of seedProblems) {
        const marks = await page.$$eval(`.sent[data-start="${p.start}"] mark.hl-problem`, (ms) => ms.map((m) => m.textContent));
        if (marks.includes(p.clause)) found++;
        else missing.push(`${p.start}: ${p.clause} / ${marks}`);
    }
    check(`document: ${seedProblems.length} problem clauses marked in their sentences`, found === seedProblems.length, missing.join('; '));
    const outline = cliJson('outline', String(seedDoc));
    const items = await page.$$eval('.doc-outline li', (ls) => ls.length);
    check('document: the outline lists every heading', items === outline.length, `${items} vs ${outline.length}`);
    await page.click('#show-loc');
    const loc = await page.textContent(`.sent[data-start="${seedProblems[0].start}"] .loc`);
    check('document: byte offsets shown on demand', loc === `[${seedProblems[0].start}–${seedProblems[0].end}]` && await page.isVisible(`.sent[data-start="${seedProblems[0].start}"] .loc`), loc);
    await page.click(`.sent[data-start="${seedProblems[0].start}"] .why`);
    const ex = await page.textContent(`.sent[data-start="${seedProblems[0].start}"] .explain`);
    check('document: the explanation names the rule', ex.includes(seedProblems[0].rule) && ex.includes('--explain'), ex);
});

await step('document: repairs are shown', async () => {
    const shows = docs.map((d) => cliJson('show', String(d.doc)));
    const withRepair = shows.flat().filter((s) => s.repairs);
    check('document: the seed has repaired sentences', withRepair.length > 0);
    const s = withRepair[0];
    await open(page, '#/doc/' + s.doc);
    const txt = await page.textContent(`.sent[data-start="${s.start}"] .repair`);
    check('document: a repaired sentence says which repair', txt.includes(s.repairs), txt);
});

await step('problems: recurring groups, and a group opens to its instances', async () => {
    const rec = cliJson('problems', '--recurring', '--top', '30', '--threshold', '0.5');
    const groups = [...new Set(rec.map((r) => r.group))];
    await open(page, '#/problems');
    await waitInk(page, '#categories', 500);
    await page.screenshot({path: join(ART, 'problems.png'), fullPage: false});
    const shown = await page.$$eval('tr.group', (rs) => rs.map((r) => r.dataset.group));
    check('problems: the groups of problems --recurring', shown.length === groups.length && shown.length > 0, `${shown.length} vs ${groups.length}`);
    await page.click('tr.group[data-group="1"]');
    const inst = await page.$$eval('tr.group[data-group="1"] + tr.instances tbody tr', (rs) => rs.map((r) => r.textContent));
    const want = rec.filter((r) => r.group === 1);
    check('problems: group 1 opens to its instances', inst.length === want.length && want.every((w, i) => inst[i].includes(w.clause)), `${inst.length} vs ${want.length}`);
    check('problems: each instance shows where it is in its file', want.every((w, i) => inst[i].includes(`${w.start}–${w.end}`)), inst.join(' | '));
    const terms = await page.textContent('tr.group[data-group="1"] td.terms');
    check('problems: the group shows its shared key terms', terms === want[0].key_terms, `${terms} / ${want[0].key_terms}`);
    await page.selectOption('#recurring select.view', 'byYear');
    await page.waitForSelector('table.heatmap[data-by="year"]');
    const heat = await page.$$eval('table.heatmap[data-by="year"] thead th.vert', (ths) => ths.map((t) => t.textContent));
    const cells = await page.$$eval('table.heatmap tr[data-group="1"] td.heat', (tds) => tds.map((t) => Number(t.dataset.n)));
    const byYear = {};
    want.forEach((w) => { const y = w.year === null ? '(未注明)' : String(w.year); byYear[y] = (byYear[y] || 0) + 1; });
    const shownYears = {};
    heat.forEach((y, i) => { if (cells[i]) shownYears[y] = cells[i]; });
    check('problems: the by-year view counts group 1\'s instances by year', JSON.stringify(Object.entries(shownYears).sort()) === JSON.stringify(Object.entries(byYear).sort()), JSON.stringify(shownYears) + ' / ' + JSON.stringify(byYear));
    await page.screenshot({path: join(ART, 'problems-by-year.png'), fullPage: false});
    await page.selectOption('#recurring select.view', 'groups');
    const listTotal = cliJson('problems').length;
    const totalText = await page.textContent('#problem-list p');
    check('problems: the problem list counts every problem', totalText.includes(String(listTotal)), totalText);
});

await step('commitments: by actor and horizon', async () => {
    await open(page, '#/commitments');
    const k = await waitInk(page, '#by-actor', 2000);
    await page.screenshot({path: join(ART, 'commitments.png'), fullPage: false});
    check('commitments: the chart is drawn', k >= 2000, `${k} pixels`);
    const n = cliJson('commitments').length;
    const totalText = await page.textContent('#commitment-list p');
    check('commitments: the list counts every commitment', totalText.includes(String(n)), totalText);
});

await step('statistics: word cloud, trend and network drawn; CSV download', async () => {
    await open(page, '#/stats');
    const cloud = await waitInk(page, '#cloud', 3000);
    const trend = await waitInk(page, '#trend', 2000);
    const net = await waitInk(page, '#network', 3000);
    const bars = await waitInk(page, '#freq', 3000);
    await page.waitForTimeout(1500); // the force layout settles
    await page.screenshot({path: join(ART, 'statistics.png'), fullPage: true});
    check('statistics: word cloud drawn', cloud >= 3000, `${cloud} pixels`);
    check('statistics: trend chart drawn', trend >= 2000, `${trend} pixels`);
    check('statistics: network drawn', net >= 3000, `${net} pixels`);
    check('statistics: word list bar chart drawn', bars >= 3000, `${bars} pixels`);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#freq a.dl-csv')]);
    const bytes = readFileSync(await dl.path());
    check('statistics: the CSV starts with a UTF-8 BOM', bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf);
    const lines = bytes.toString('utf8').slice(1).trimEnd().split('\n');
    const want = cli('--format', 'csv', 'freq', '--top', '100', '--drop-stopwords').trimEnd().split('\n');
    check('statistics: the CSV has the rows of baogao freq', lines.length === 101 && JSON.stringify(lines) === JSON.stringify(want), `${lines.length} lines`);
    const [x] = await Promise.all([page.waitForEvent('download'), page.click('#freq a.dl-xlsx')]);
    const xb = readFileSync(await x.path());
    check('statistics: the xlsx download is a zip (Office Open XML)', xb[0] === 0x50 && xb[1] === 0x4b && x.suggestedFilename().endsWith('.xlsx'));
    const [g] = await Promise.all([page.waitForEvent('download'), page.click('#network a.dl-graphml')]);
    const gml = readFileSync(await g.path(), 'utf8');
    const edges = (gml.match(/<edge /g) || []).length;
    const cooc = cliJson('cooc', '--top', '30', '--min-freq', '3', '--drop-stopwords').length;
    check('statistics: the GraphML has the network\'s edges', edges === cooc && edges > 0, `${edges} vs ${cooc}`);
});

await step('statistics: the filter bar fits the window at 1280 and 800 px, however long an organisation\'s name', async () => {
    const orgs = cliJson('docs').map((d) => d.org).filter(Boolean);
    const longest = orgs.reduce((a, o) => (o.length > a.length ? o : a), '');
    for (const width of [1280, 800]) {
        await page.setViewportSize({width, height: 900});
        await open(page, '#/stats');
        const m = await page.evaluate(() => {
            const f = document.querySelector('form.filters'), r = f.getBoundingClientRect();
            const kids = [...f.children].map((c) => c.getBoundingClientRect());
            const org = f.querySelector('select[name="org"]');
            return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
                formRight: r.right, right: Math.max(...kids.map((b) => b.right)), formW: r.width,
                orgW: org.getBoundingClientRect().width,
                oneRow: Math.max(...kids.map((b) => b.top)) < Math.min(...kids.map((b) => b.bottom)),
                names: [...org.options].map((o) => o.text)};
        });
        await page.screenshot({path: join(ART, `statistics-${width}.png`), fullPage: false});
        check(`statistics at ${width} px: no horizontal scroll`, m.scroll <= m.inner, `${m.scroll} > ${m.inner}`);
        check(`statistics at ${width} px: every filter inside the bar`, m.right <= m.formRight + 1, `${m.right} > ${m.formRight}`);
        check(`statistics at ${width} px: the 机构 drop-down takes at most a third of the bar`, m.orgW <= m.formW / 3, `${m.orgW} of ${m.formW}`);
        if (width === 1280)
            check('statistics at 1280 px: the filters are one row (every box overlaps every other vertically)', m.oneRow);
        check(`statistics at ${width} px: the drop-down lists the longest organisation whole`, longest.length > 20 && m.names.some((n) => n.startsWith(longest + ' (')), longest);
    }
    await page.setViewportSize({width: 1360, height: 900});
});

await step('xss: markup in a document is shown as text', async () => {
    const doc = cliJson('docs').find((d) => /xss\.txt$/.test(d.file));
    await open(page, '#/search?q=' + encodeURIComponent('整改'));
    await open(page, '#/doc/' + doc.doc);
    await page.waitForTimeout(500);
    await page.screenshot({path: join(ART, 'xss.png'), fullPage: false});
    const ran = await page.evaluate(() => window.__xss);
    const text = await page.textContent('.doc-text');
    const title = await page.textContent('.doc-head h2');
    const injected = await page.$$eval('.doc-text img, .doc-text svg, .doc-text script, .doc-text b, .doc-head script', (n) => n.length);
    check('xss: no injected script ran', ran === undefined && dialogs.length === 0, `__xss=${ran} dialogs=${dialogs}`);
    check('xss: no element made from document text', injected === 0, `${injected} elements`);
    // ingest's markup repair (ingest.h) takes the tags of HTML elements it
    // knows (<img ...>) out of the text; the rest is shown as written
    check('xss: the markup is visible as written',
        title.includes('<script>window.__xss=1</script>') && text.includes('属性注入') &&
        text.includes('<svg onload="window.__xss=4">') && text.includes('</textarea>') &&
        text.includes('<svg>加粗</svg>'), title);
    const marked = await page.$$eval('mark.hl-problem', (ms) => ms.map((m) => m.textContent));
    check('xss: a problem clause with markup is highlighted as text', marked.some((m) => m.includes('<svg>加粗</svg>')), marked.join(' | '));
});

check('no script errors on any page', pageErrors.length === 0, pageErrors.join('; '));
check('no error in the console (a failed request, a missing icon)', consoleErrors.length === 0, consoleErrors.join('; '));
check('no request left the server', outside.length === 0, outside.join(', '));

// After the console check: a refused request logs its 400 there.
await step('errors: a query error reads in the page\'s language (zh)', async () => {
    // the quote opens at byte 10: 贫困 (6 bytes) + ' OR ' (4)
    await open(page, '#/search?q=' + encodeURIComponent('贫困 OR "脱贫'));
    const e1 = await page.textContent('p.error').catch(() => '');
    check('errors: an unclosed quote, in Chinese with its byte', e1 === '第 10 字节处的引号没有闭合', e1);
    await open(page, '#/search?q=' + encodeURIComponent('发展') + '&where=' + encodeURIComponent('colour=red'));
    const e2 = await page.textContent('p.error').catch(() => '');
    check('errors: an unknown facet, in Chinese with its name', e2.startsWith('未知的分面"colour"'), e2);
    check('errors: none of the server\'s English words left', !/quote|closed|byte|unknown|facet/.test(e1 + e2), e1 + ' / ' + e2);
});

await step('report: opens offline with every chart drawn', async () => {
    const rp = await context.newPage();
    const requests = [], errors = [];
    await rp.route('**/*', (route) => {
        const u = route.request().url();
        if (u.startsWith('file://')) return route.continue();
        requests.push(u);
        return route.abort();
    });
    rp.on('pageerror', (e) => errors.push(String(e)));
    await rp.goto('file://' + join(ART, 'report.html'));
    await rp.waitForFunction(() => document.body.getAttribute('data-ready') === '1', null, {timeout: 30000});
    const charts = await rp.$$eval('[data-chart]', (ns) => ns.map((n) => n.parentElement.id + ':' + n.getAttribute('data-chart')));
    const inks = [];
    for (const id of ['summary', 'words', 'trends', 'keyness', 'categories', 'commitments']) {
        inks.push(id + ':' + await waitInk(rp, '#' + id, 1500, 10000));
    }
    await rp.screenshot({path: join(ART, 'report.png'), fullPage: true});
    check('report: every chart drawn', charts.length >= 7 && charts.every((c) => c.endsWith(':drawn')), charts.join(' '));
    check('report: every section\'s chart has ink', inks.every((s) => Number(s.split(':')[1]) >= 1500), inks.join(' '));
    check('report: no request at all', requests.length === 0, requests.join(', '));
    check('report: no script errors', errors.length === 0, errors.join('; '));
    const sections = await rp.$$eval('section.page', (ss) => ss.map((s) => getComputedStyle(s).breakBefore));
    await rp.emulateMedia({media: 'print'});
    const printed = await rp.$$eval('section.page', (ss) => ss.map((s) => getComputedStyle(s).breakBefore));
    check('report: a page break before each section in print', printed.length === 7 && printed.every((b) => b === 'page'), `${sections} / ${printed}`);
    const pdf = await rp.pdf({format: 'A4'});
    check('report: prints to A4 pages', pdf.length > 10000, `${pdf.length} bytes`);
});

await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
