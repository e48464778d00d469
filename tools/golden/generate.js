#!/usr/bin/env node
// Generates TA-Lib golden values for the MarketAnalytics indicator tests.
//
//   cd tools/golden && npm install && node generate.js [--shared <path to shared/data>]
//
// Writes into tests/MarketAnalytics.Tests/Indicators/Golden/:
//   fixture-*.csv            small self-contained kline fixtures (data.binance.vision 12-column CSV with header),
//                            generated here from a seeded PRNG so they are reproducible;
//   golden-*.json            TA-Lib outputs per spec: open_time plus one array per column (null = undefined).
// Real-data goldens read their input from ../shared/data (never copied into the repository) and store only the
// derived values and open times. The oracle is the `talib` npm package 1.1.6 (TA-Lib C 0.6.0-dev).
'use strict';
const fs = require('fs');
const path = require('path');
const talib = require('talib');

const repo = path.resolve(__dirname, '..', '..');
const outDir = path.join(repo, 'tests', 'MarketAnalytics.Tests', 'Indicators', 'Golden');
const argShared = process.argv.indexOf('--shared');
const sharedRoot = argShared > 0 ? process.argv[argShared + 1] : path.resolve(repo, '..', 'shared', 'data');

// ---- indicator table: spec name -> TA-Lib function, inputs, parameters (in spec order) and outputs --------------
const P = (opt, def) => ({ opt, def });
const TABLE = {
  sma: { fn: 'SMA', inputs: 'real', params: [P('optInTimePeriod', 30)], outs: [['outReal', null]] },
  ema: { fn: 'EMA', inputs: 'real', params: [P('optInTimePeriod', 30)], outs: [['outReal', null]] },
  wma: { fn: 'WMA', inputs: 'real', params: [P('optInTimePeriod', 30)], outs: [['outReal', null]] },
  dema: { fn: 'DEMA', inputs: 'real', params: [P('optInTimePeriod', 30)], outs: [['outReal', null]] },
  tema: { fn: 'TEMA', inputs: 'real', params: [P('optInTimePeriod', 30)], outs: [['outReal', null]] },
  rsi: { fn: 'RSI', inputs: 'real', params: [P('optInTimePeriod', 14)], outs: [['outReal', null]] },
  macd: {
    fn: 'MACD', inputs: 'real',
    params: [P('optInFastPeriod', 12), P('optInSlowPeriod', 26), P('optInSignalPeriod', 9)],
    outs: [['outMACD', 'macd'], ['outMACDSignal', 'signal'], ['outMACDHist', 'hist']],
  },
  bbands: {
    fn: 'BBANDS', inputs: 'real', fixed: { optInMAType: 0 },
    params: [P('optInTimePeriod', 5), P('optInNbDevUp', 2), P('optInNbDevDn', 2)],
    outs: [['outRealUpperBand', 'upper'], ['outRealMiddleBand', 'middle'], ['outRealLowerBand', 'lower']],
  },
  atr: { fn: 'ATR', inputs: 'hlc', params: [P('optInTimePeriod', 14)], outs: [['outReal', null]] },
  natr: { fn: 'NATR', inputs: 'hlc', params: [P('optInTimePeriod', 14)], outs: [['outReal', null]] },
  trange: { fn: 'TRANGE', inputs: 'hlc', params: [], outs: [['outReal', null]] },
  stddev: { fn: 'STDDEV', inputs: 'real', params: [P('optInTimePeriod', 5), P('optInNbDev', 1)], outs: [['outReal', null]] },
  var: { fn: 'VAR', inputs: 'real', fixed: { optInNbDev: 1 }, params: [P('optInTimePeriod', 5)], outs: [['outReal', null]] },
  stoch: {
    fn: 'STOCH', inputs: 'hlc', fixed: { optInSlowK_MAType: 0, optInSlowD_MAType: 0 },
    params: [P('optInFastK_Period', 5), P('optInSlowK_Period', 3), P('optInSlowD_Period', 3)],
    outs: [['outSlowK', 'k'], ['outSlowD', 'd']],
  },
  adx: { fn: 'ADX', inputs: 'hlc', params: [P('optInTimePeriod', 14)], outs: [['outReal', null]] },
  cci: { fn: 'CCI', inputs: 'hlc', params: [P('optInTimePeriod', 14)], outs: [['outReal', null]] },
  willr: { fn: 'WILLR', inputs: 'hlc', params: [P('optInTimePeriod', 14)], outs: [['outReal', null]] },
  mfi: { fn: 'MFI', inputs: 'hlcv', params: [P('optInTimePeriod', 14)], outs: [['outReal', null]] },
  obv: { fn: 'OBV', inputs: 'cv', params: [], outs: [['outReal', null]] },
  roc: { fn: 'ROC', inputs: 'real', params: [P('optInTimePeriod', 10)], outs: [['outReal', null]] },
  mom: { fn: 'MOM', inputs: 'real', params: [P('optInTimePeriod', 10)], outs: [['outReal', null]] },
  aroon: { fn: 'AROON', inputs: 'hl', params: [P('optInTimePeriod', 14)], outs: [['outAroonUp', 'up'], ['outAroonDown', 'down']] },
};

// Specs checked on every data set: every built-in with defaults, common settings, non-default/edge parameters, chains.
const SPECS = [
  ...Object.keys(TABLE),
  'sma(20)', 'ema(20)', 'wma(20)', 'dema(20)', 'tema(20)', 'rsi(14)', 'macd(12,26,9)', 'bbands(20,2,2)', 'atr(14)',
  'stddev(20)', 'stoch(14,3,3)', 'cci(20)', 'willr(14)', 'mfi(14)', 'roc(10)', 'aroon(14)', 'adx(14)',
  'sma(2)', 'ema(2)', 'rsi(2)', 'rsi(30)', 'wma(7)', 'dema(5)', 'tema(4)',
  'macd(5,35,5)', 'macd(26,12,9)', 'macd(3,10,2)', 'macd(12,12,3)',
  'bbands(10,1.5,2.5)', 'bbands(7,1,1)', 'bbands(15,-1,0.5)',
  'atr(1)', 'atr(5)', 'natr(1)', 'natr(7)', 'stddev(10,2.5)', 'var(1)', 'var(12)',
  'stoch(5,1,1)', 'stoch(9,3,5)', 'stoch(1,2,2)', 'adx(2)', 'adx(5)', 'cci(2)', 'cci(33)', 'willr(2)', 'mfi(2)', 'mfi(5)',
  'roc(1)', 'mom(1)', 'mom(25)', 'aroon(2)', 'aroon(25)',
  'sma(rsi(14),5)', 'ema(macd(12,26,9).signal,3)', 'rsi(ema(10),7)', 'bbands(rsi(14),10,2,2)', 'stoch(cci(14),5,3,3)',
  'sma(macd(12,26,9).hist,4)', 'mom(obv,3)', 'ema(bbands(20,2,2).upper,5)',
];

// ---- spec parsing (same grammar as IndicatorSpec) ----------------------------------------------------------------
function parseSpec(text) {
  let pos = 0;
  const ws = () => { while (pos < text.length && /\s/.test(text[pos])) pos++; };
  const name = () => { const m = /^[A-Za-z0-9_]+/.exec(text.slice(pos)); if (!m) throw new Error(`name expected at ${pos} in ${text}`); pos += m[0].length; return m[0].toLowerCase(); };
  function spec() {
    ws();
    const s = { name: name(), params: [], source: null, sourceOutput: null };
    ws();
    if (text[pos] === '(') {
      pos++;
      let first = true;
      ws();
      while (text[pos] !== ')') {
        if (first && /[A-Za-z]/.test(text[pos])) {
          s.source = spec();
          ws();
          if (text[pos] === '.') { pos++; s.sourceOutput = name(); }
        } else {
          const m = /^[-+0-9.eE]+/.exec(text.slice(pos));
          s.params.push(Number(m[0]));
          pos += m[0].length;
        }
        first = false;
        ws();
        if (text[pos] === ',') { pos++; ws(); }
      }
      pos++;
    }
    return s;
  }
  const s = spec();
  ws();
  if (pos !== text.length) throw new Error(`trailing text in ${text}`);
  return s;
}

const fmt = (v) => String(v); // JS shortest round-trip, invariant

// Column names: <name>[_<source column>]_<params...>[_<output>]
function defaulted(s) {
  const def = TABLE[s.name];
  if (!def) throw new Error(`unknown indicator ${s.name}`);
  return def.params.map((p, i) => (i < s.params.length ? s.params[i] : p.def));
}

function columns(s) {
  const def = TABLE[s.name];
  const params = defaulted(s);
  let stem = s.name;
  if (s.source) {
    const src = columns(s.source);
    const idx = s.sourceOutput ? TABLE[s.source.name].outs.findIndex((o) => o[1] === s.sourceOutput) : 0;
    stem += '_' + src[idx];
  }
  // STDDEV's nbdev of 1 is the plain standard deviation and is left out of the name (stddev_20, stddev_20_2).
  const shown = s.name === 'stddev' && params[1] === 1 ? params.slice(0, 1) : params;
  for (const p of shown) stem += '_' + fmt(p);
  return def.outs.map((o) => (o[1] ? `${stem}_${o[1]}` : stem));
}

// Computes every output of a spec over full-length columns; undefined rows are NaN.
function compute(s, data) {
  const n = data.close.length;
  let input = data;
  if (s.source) {
    const srcOut = compute(s.source, data);
    const idx = s.sourceOutput ? TABLE[s.source.name].outs.findIndex((o) => o[1] === s.sourceOutput) : 0;
    const v = srcOut[idx];
    input = { open: v, high: v, low: v, close: v, volume: data.volume };
  }
  // TA-Lib convention for chaining: run over the defined part of the source.
  let first = 0;
  while (first < n && Number.isNaN(input.close[first])) first++;
  const slice = (a) => a.slice(first);
  const def = TABLE[s.name];
  const args = { name: def.fn, startIdx: 0, endIdx: n - first - 1, ...(def.fixed || {}) };
  defaulted(s).forEach((v, i) => { args[def.params[i].opt] = v; });
  switch (def.inputs) {
    case 'real': args.inReal = slice(input.close); break;
    case 'hlc': args.high = slice(input.high); args.low = slice(input.low); args.close = slice(input.close); break;
    case 'hl': args.high = slice(input.high); args.low = slice(input.low); break;
    case 'hlcv': args.high = slice(input.high); args.low = slice(input.low); args.close = slice(input.close); args.volume = slice(input.volume); break;
    case 'cv': args.inReal = slice(input.close); args.volume = slice(input.volume); break;
    default: throw new Error(def.inputs);
  }
  const outs = def.outs.map(() => new Array(n).fill(NaN));
  if (first >= n) return outs;
  const r = talib.execute(args);
  if (r.error) throw new Error(`${s.name}: ${JSON.stringify(r.error)}`);
  def.outs.forEach(([key], k) => {
    const vals = r.result[key];
    for (let j = 0; j < r.nbElement; j++) outs[k][first + r.begIndex + j] = vals[j];
  });
  return outs;
}

// ---- fixtures ------------------------------------------------------------------------------------------------------
function mulberry32(seed) {
  return function () {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A random walk with features that exercise edge cases: flat stretches (zero ranges, zero gains, repeated highs/lows
// for AROON ties), a zero-volume stretch, gaps and a sharp jump. Prices are rounded to the tick like real archives.
function makeFixture(seed, n, startPrice, tick, volScale) {
  const rnd = mulberry32(seed);
  const rows = [];
  let price = startPrice;
  const t0 = Date.UTC(2024, 0, 1);
  const round = (v) => Math.round(v / tick) * tick;
  for (let i = 0; i < n; i++) {
    const open = price;
    let close;
    if (i >= 60 && i < 75) close = open; // flat stretch
    else if (i === 150) close = open * 1.08; // jump
    else close = open * (1 + (rnd() - 0.5) * 0.02);
    close = round(close);
    let high = Math.max(open, close) * (1 + rnd() * 0.006);
    let low = Math.min(open, close) * (1 - rnd() * 0.006);
    if (i >= 60 && i < 75) { high = open; low = open; }
    if (i >= 200 && i < 210) { high = round(Math.max(open, close) + tick * 50); } // repeated highs
    high = round(high); low = round(low);
    if (high < Math.max(open, close)) high = Math.max(open, close);
    if (low > Math.min(open, close)) low = Math.min(open, close);
    let volume = Math.round(volScale * (0.2 + rnd() * 2) * 1000) / 1000;
    if (i >= 100 && i < 104) volume = 0;
    const openTime = t0 + i * 3600000;
    rows.push({ openTime, open, high, low, close, volume, closeTime: openTime + 3599999 });
    price = close;
  }
  return rows;
}

function writeFixtureCsv(file, rows, decimals) {
  const lines = ['open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore'];
  for (const r of rows) {
    const q = (r.volume * r.close).toFixed(8);
    lines.push([r.openTime, r.open.toFixed(decimals), r.high.toFixed(decimals), r.low.toFixed(decimals), r.close.toFixed(decimals),
      r.volume.toFixed(3), r.closeTime, q, 100, (r.volume / 2).toFixed(3), (q / 2).toFixed(8), 0].join(','));
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

// Parses the fixture back, exactly as the C# reader sees the decimal strings.
function readBinanceCsv(file) {
  const text = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const d = { openTime: [], open: [], high: [], low: [], close: [], volume: [] };
  for (const line of text) {
    const c = line.split(',');
    if (!/^\d+$/.test(c[0])) continue;
    let t = Number(c[0]);
    if (t >= 1e14) t = Math.floor(t / 1000);
    d.openTime.push(t); d.open.push(Number(c[1])); d.high.push(Number(c[2])); d.low.push(Number(c[3]));
    d.close.push(Number(c[4])); d.volume.push(Number(c[5]));
  }
  return d;
}

function readFreqtradeJson(file) {
  const rows = JSON.parse(fs.readFileSync(file, 'utf8'));
  const d = { openTime: [], open: [], high: [], low: [], close: [], volume: [] };
  for (const r of rows) {
    d.openTime.push(r[0]); d.open.push(r[1]); d.high.push(r[2]); d.low.push(r[3]); d.close.push(r[4]); d.volume.push(r[5]);
  }
  return d;
}

function writeGolden(name, input, data) {
  const cases = [];
  for (const text of SPECS) {
    const s = parseSpec(text);
    const outs = compute(s, data);
    const cols = columns(s);
    const colObj = {};
    cols.forEach((c, k) => { colObj[c] = outs[k].map((v) => (Number.isFinite(v) ? v : null)); });
    cases.push({ spec: text, columns: colObj });
  }
  const golden = {
    generator: 'tools/golden/generate.js',
    oracle: 'talib npm 1.1.6 (TA-Lib C 0.6.0-dev), startIdx 0, default compatibility, unstable period 0',
    input,
    rows: data.close.length,
    first_close: data.close[0],
    last_close: data.close[data.close.length - 1],
    open_time: data.openTime,
    cases,
  };
  fs.writeFileSync(path.join(outDir, name), JSON.stringify(golden) + '\n');
  console.log(`wrote ${name}: ${cases.length} specs x ${data.close.length} rows`);
}

fs.mkdirSync(outDir, { recursive: true });

const walkFile = path.join(outDir, 'fixture-walk.csv');
writeFixtureCsv(walkFile, makeFixture(20240101, 320, 100, 0.01, 50), 2);
writeGolden('golden-fixture-walk.json', { kind: 'fixture', path: 'fixture-walk.csv', symbol: 'FIXTUSDT', interval: '1h' }, readBinanceCsv(walkFile));

const tinyFile = path.join(outDir, 'fixture-tiny.csv');
writeFixtureCsv(tinyFile, makeFixture(777, 260, 0.0000137, 0.00000001, 400000), 8);
writeGolden('golden-fixture-tiny.json', { kind: 'fixture', path: 'fixture-tiny.csv', symbol: 'TINYBTC', interval: '1h' }, readBinanceCsv(tinyFile));

const realSets = [
  ['golden-btcusdt-1h-2023-03.json', 'binance/klines/BTCUSDT/1h/BTCUSDT-1h-2023-03.csv', 'BTCUSDT', '1h', readBinanceCsv],
  ['golden-adabtc-1h.json', 'binance/klines/ADABTC/1h/ADA_BTC-1h.json', 'ADABTC', '1h', readFreqtradeJson],
];
for (const [name, rel, symbol, interval, reader] of realSets) {
  const file = path.join(sharedRoot, rel);
  if (!fs.existsSync(file)) {
    console.log(`skipped ${name}: ${file} is absent`);
    continue;
  }
  writeGolden(name, { kind: 'shared', path: rel, symbol, interval }, reader(file));
}
