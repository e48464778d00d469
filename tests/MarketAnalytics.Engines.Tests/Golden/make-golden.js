// Generates talib-golden.json: a seeded random-walk candle series and TA-Lib 0.6 (npm talib 1.1.6) outputs.
// Run: NODE_PATH=<dir with talib in node_modules> node make-golden.js > talib-golden.json
const talib = require('talib');
let seed = 20261204;
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const n = 3000;
const t0 = Date.UTC(2024, 0, 1);
const open = [], high = [], low = [], close = [], volume = [], time = [];
let price = 100;
for (let i = 0; i < n; i++) {
  const o = price;
  // a flat stretch (zero range, zero volume) to exercise TA-Lib's zero guards
  const flat = i >= 1500 && i < 1530;
  const c = flat ? o : Math.max(1, o * (1 + (rnd() - 0.5) * 0.02));
  const h = flat ? o : Math.max(o, c) * (1 + rnd() * 0.005);
  const l = flat ? o : Math.min(o, c) * (1 - rnd() * 0.005);
  const v = flat ? 0 : Math.round(rnd() * 1000 * 1e4) / 1e4;
  time.push(t0 + i * 60000); open.push(o); high.push(h); low.push(l); close.push(c); volume.push(v);
  price = c;
}
const run = (name, args) => {
  const r = talib.execute(Object.assign({ name, startIdx: 0, endIdx: n - 1 }, args));
  if (r.error) throw new Error(name + ': ' + r.error);
  const out = {};
  for (const k of Object.keys(r.result)) {
    const col = new Array(n).fill(null);
    r.result[k].forEach((v, j) => { col[r.begIndex + j] = v; });
    out[k] = col;
  }
  return out;
};
const HLC = { high, low, close };
const cases = {
  'sma(30)': run('SMA', { inReal: close, optInTimePeriod: 30 }),
  'ema(30)': run('EMA', { inReal: close, optInTimePeriod: 30 }),
  'ema(12)': run('EMA', { inReal: close, optInTimePeriod: 12 }),
  'wma(30)': run('WMA', { inReal: close, optInTimePeriod: 30 }),
  'dema(30)': run('DEMA', { inReal: close, optInTimePeriod: 30 }),
  'tema(30)': run('TEMA', { inReal: close, optInTimePeriod: 30 }),
  'rsi(14)': run('RSI', { inReal: close, optInTimePeriod: 14 }),
  'macd(12,26,9)': run('MACD', { inReal: close, optInFastPeriod: 12, optInSlowPeriod: 26, optInSignalPeriod: 9 }),
  'bbands(20,2,2)': run('BBANDS', { inReal: close, optInTimePeriod: 20, optInNbDevUp: 2, optInNbDevDn: 2, optInMAType: 0 }),
  'atr(14)': run('ATR', Object.assign({ optInTimePeriod: 14 }, HLC)),
  'natr(14)': run('NATR', Object.assign({ optInTimePeriod: 14 }, HLC)),
  'trange': run('TRANGE', HLC),
  'stddev(20,1)': run('STDDEV', { inReal: close, optInTimePeriod: 20, optInNbDev: 1 }),
  'var(20)': run('VAR', { inReal: close, optInTimePeriod: 20, optInNbDev: 1 }),
  'stoch(14,3,3)': run('STOCH', Object.assign({ optInFastK_Period: 14, optInSlowK_Period: 3, optInSlowK_MAType: 0, optInSlowD_Period: 3, optInSlowD_MAType: 0 }, HLC)),
  'adx(14)': run('ADX', Object.assign({ optInTimePeriod: 14 }, HLC)),
  'cci(20)': run('CCI', Object.assign({ optInTimePeriod: 20 }, HLC)),
  'willr(14)': run('WILLR', Object.assign({ optInTimePeriod: 14 }, HLC)),
  'mfi(14)': run('MFI', Object.assign({ optInTimePeriod: 14, volume }, HLC)),
  'obv': run('OBV', { inReal: close, volume }),
  'roc(10)': run('ROC', { inReal: close, optInTimePeriod: 10 }),
  'mom(10)': run('MOM', { inReal: close, optInTimePeriod: 10 }),
  'aroon(14)': run('AROON', { high, low, optInTimePeriod: 14 }),
};
process.stdout.write(JSON.stringify({ source: 'npm talib 1.1.6 (TA-Lib C 0.6.0-dev), seeded random walk', time, open, high, low, close, volume, cases }));
