// report_check.mjs - opens a `baogao report` file in Debian's Chromium with
// every request refused, waits for its charts and says whether each drew
// (pixels inked), whether any request was tried, and takes a full-page
// screenshot. Used for README's figures on the shared corpora; the same
// checks run in web_test.mjs on corpus/.
// usage: node report_check.mjs REPORT.html SCREENSHOT.png
import {chromium} from 'playwright-core';
const [file, shot] = process.argv.slice(2);
const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({viewport: {width: 900, height: 1200}});
const requests = [], errors = [];
await page.route('**/*', (r) => {
    if (r.request().url().startsWith('file://')) return r.continue();
    requests.push(r.request().url());
    return r.abort();
});
page.on('pageerror', (e) => errors.push(String(e)));
await page.goto('file://' + file);
await page.waitForFunction(() => document.body.getAttribute('data-ready') === '1', null, {timeout: 60000});
await page.waitForTimeout(500);
const charts = await page.$$eval('[data-chart]', (ns) => ns.map((n) => {
    let k = 0;
    n.querySelectorAll('canvas').forEach((c) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) k++;
    });
    return `${n.closest('section').id}:${n.getAttribute('data-chart')}:${k}`;
}));
await page.screenshot({path: shot, fullPage: true});
console.log(`charts ${charts.length}: ${charts.join(' ')}`);
console.log(`requests tried: ${requests.length}; script errors: ${errors.length}`);
await browser.close();
const ok = charts.length && charts.every((c) => /:drawn:[1-9]/.test(c)) && !requests.length && !errors.length;
console.log(ok ? 'every chart drawn, offline' : 'NOT every chart drawn offline');
process.exit(ok ? 0 : 1);
