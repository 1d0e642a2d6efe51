/*
 * charts.js - the charts and tables of baogao's web workspace and report,
 * over Apache ECharts and echarts-wordcloud (vendored: ../vendor).
 *
 * Text from documents is only ever put into the page with textContent or
 * handed to ECharts as data (which draws it on a canvas): never as markup.
 * Exposes window.BG: bar, cloud, lines, stacked, network, table, el.
 */
(function (global) {
    'use strict';
    var FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", ' +
        '"Microsoft YaHei", "PingFang SC", sans-serif';
    var PALETTE = ['#c23531', '#2f4554', '#61a0a8', '#d48265', '#91c7ae',
        '#749f83', '#ca8622', '#bda29a', '#6e7074', '#546570'];

    /* An element: attrs (class, href, title, text, data-*, on*), children
     * (strings become text nodes). */
    function el(tag, attrs) {
        var e = document.createElement(tag);
        var a = attrs || {};
        Object.keys(a).forEach(function (k) {
            var v = a[k];
            if (v === undefined || v === null || v === false)
                return;
            if (k === 'text')
                e.textContent = String(v);
            else if (k === 'class')
                e.className = v;
            else if (k.slice(0, 2) === 'on')
                e.addEventListener(k.slice(2), v);
            else
                e.setAttribute(k, v === true ? '' : String(v));
        });
        for (var i = 2; i < arguments.length; i++) {
            var c = arguments[i];
            if (c === undefined || c === null || c === false)
                continue;
            if (Array.isArray(c))
                c.forEach(function (x) { if (x) e.appendChild(typeof x === 'string' ? document.createTextNode(x) : x); });
            else
                e.appendChild(typeof c === 'string' || typeof c === 'number'
                    ? document.createTextNode(String(c)) : c);
        }
        return e;
    }

    var opts = {animation: true, dpr: undefined};

    function init(node) {
        var old = global.echarts.getInstanceByDom(node);
        if (old)
            old.dispose();
        var c = global.echarts.init(node, null,
            {renderer: 'canvas', devicePixelRatio: opts.dpr});
        node.setAttribute('data-chart', 'pending');
        c.on('finished', function () { node.setAttribute('data-chart', 'drawn'); });
        return c;
    }

    function base() {
        return {animation: opts.animation, textStyle: {fontFamily: FONT},
            color: PALETTE, tooltip: {}};
    }

    /* Horizontal bars, largest on top: labels[i] with values[i]. */
    function bar(node, labels, values, name) {
        var c = init(node), o = base();
        o.grid = {left: 8, right: 24, top: 8, bottom: 8, containLabel: true};
        o.xAxis = {type: 'value', name: name || ''};
        o.yAxis = {type: 'category', data: labels, inverse: true,
            axisLabel: {interval: 0}};
        o.series = [{type: 'bar', data: values, itemStyle: {color: PALETTE[0]}}];
        c.setOption(o);
        return c;
    }

    /* A word cloud of [{name, value}]. */
    function cloud(node, words) {
        var c = init(node), o = base();
        o.series = [{
            type: 'wordCloud', shape: 'circle', left: 'center', top: 'center',
            width: '96%', height: '96%', sizeRange: [12, 56],
            rotationRange: [0, 0], gridSize: 4, drawOutOfBound: false,
            layoutAnimation: opts.animation,
            textStyle: {fontFamily: FONT, fontWeight: 'bold', color: function (p) {
                return PALETTE[p.dataIndex % PALETTE.length];
            }},
            data: words
        }];
        c.setOption(o);
        return c;
    }

    /* Vertical columns: labels[i] (years, say) along x with values[i]. */
    function columns(node, labels, values, name) {
        var c = init(node), o = base();
        o.tooltip = {trigger: 'axis'};
        o.grid = {left: 8, right: 24, top: 24, bottom: 8, containLabel: true};
        o.xAxis = {type: 'category', data: labels};
        o.yAxis = {type: 'value', name: name || ''};
        o.series = [{type: 'bar', data: values, itemStyle: {color: PALETTE[2]}}];
        c.setOption(o);
        return c;
    }

    /* Height in pixels for n horizontal bars (labels never overlap). */
    function barHeight(n) {
        return Math.max(240, 40 + 18 * n);
    }

    /* Lines over xs: series [{name, data}]. */
    function lines(node, xs, series, yname) {
        var c = init(node), o = base();
        o.tooltip = {trigger: 'axis'};
        o.legend = {top: 0};
        o.grid = {left: 8, right: 24, top: 36, bottom: 8, containLabel: true};
        o.xAxis = {type: 'category', data: xs, boundaryGap: false};
        o.yAxis = {type: 'value', name: yname || ''};
        o.series = series.map(function (s) {
            return {type: 'line', name: s.name, data: s.data, symbolSize: 6};
        });
        c.setOption(o);
        return c;
    }

    /* Stacked bars: categories on x, series [{name, data}] stacked. */
    function stacked(node, cats, series) {
        var c = init(node), o = base();
        o.tooltip = {trigger: 'axis', axisPointer: {type: 'shadow'}};
        o.legend = {top: 0, type: 'scroll'};
        o.grid = {left: 8, right: 16, top: 36, bottom: 8, containLabel: true};
        o.xAxis = {type: 'category', data: cats, axisLabel: {interval: 0, rotate: cats.length > 8 ? 30 : 0}};
        o.yAxis = {type: 'value'};
        o.series = series.map(function (s) {
            return {type: 'bar', name: s.name, stack: 'all', data: s.data};
        });
        c.setOption(o);
        return c;
    }

    /* A co-occurrence network from edge rows {source, target, count,
     * source_freq, target_freq}. */
    function network(node, edges) {
        var c = init(node), o = base(), seen = {}, nodes = [], maxf = 1, maxc = 1;
        edges.forEach(function (e) {
            [[e.source, e.source_freq], [e.target, e.target_freq]].forEach(function (p) {
                if (!(p[0] in seen)) {
                    seen[p[0]] = nodes.length;
                    nodes.push({name: p[0], value: p[1] || 1});
                    maxf = Math.max(maxf, p[1] || 1);
                }
            });
            maxc = Math.max(maxc, e.count || 1);
        });
        nodes.forEach(function (n, i) {
            n.symbolSize = 10 + 30 * Math.sqrt(n.value / maxf);
            n.itemStyle = {color: PALETTE[i % PALETTE.length]};
        });
        o.series = [{
            type: 'graph', layout: 'force', roam: true, draggable: true,
            label: {show: true, fontFamily: FONT},
            force: {repulsion: 220, edgeLength: [40, 140], gravity: 0.08,
                layoutAnimation: opts.animation},
            lineStyle: {color: 'source', opacity: 0.5},
            data: nodes,
            links: edges.map(function (e) {
                return {source: e.source, target: e.target, value: e.count,
                    lineStyle: {width: 1 + 5 * (e.count || 1) / maxc}};
            })
        }];
        c.setOption(o);
        return c;
    }

    function cellText(v) {
        if (v === null || v === undefined)
            return '';
        if (typeof v === 'number' && !Number.isInteger(v))
            return Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3 && v !== 0
                ? v.toExponential(3) : String(Math.round(v * 1e4) / 1e4);
        return String(v);
    }

    /* A table of rows (objects) with columns [name] or [[name, label]];
     * link(name, row) may return an href for a cell. */
    function table(columns, rows, link) {
        var cols = columns.map(function (c) { return Array.isArray(c) ? c : [c, c]; });
        var head = el('tr', null, cols.map(function (c) { return el('th', {text: c[1]}); }));
        var body = rows.map(function (r) {
            return el('tr', null, cols.map(function (c) {
                var v = r[c[0]], href = link && link(c[0], r);
                var td = el('td', {class: typeof v === 'number' ? 'num' : null});
                td.appendChild(href ? el('a', {href: href, text: cellText(v)})
                    : document.createTextNode(cellText(v)));
                return td;
            }));
        });
        return el('table', {class: 'grid'}, el('thead', null, head), el('tbody', null, body));
    }

    function resizeAll() {
        document.querySelectorAll('[data-chart]').forEach(function (n) {
            var c = global.echarts.getInstanceByDom(n);
            if (c)
                c.resize();
        });
    }
    global.addEventListener('resize', resizeAll);

    global.BG = {el: el, bar: bar, columns: columns, barHeight: barHeight,
        cloud: cloud, lines: lines, stacked: stacked,
        network: network, table: table, cellText: cellText, opts: opts,
        resizeAll: resizeAll, FONT: FONT};
})(window);
