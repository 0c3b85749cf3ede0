// Tokenizes FILE with the TextMate grammar (docs/textmate) through vscode-textmate and prints
// the scopes at each position of POSITIONS ("line bytecol utf16col kind"), one line each.
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');
const [grammarPath, file, positionsPath] = process.argv.slice(2);
const wasm = fs.readFileSync(path.join(__dirname, 'node_modules/vscode-oniguruma/release/onig.wasm'));
const onigLib = oniguruma.loadWASM(wasm.buffer).then(() => ({
  createOnigScanner: (p) => new oniguruma.OnigScanner(p),
  createOnigString: (s) => new oniguruma.OnigString(s),
}));
const registry = new vsctm.Registry({
  onigLib,
  loadGrammar: async () => vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath),
});
registry.loadGrammar('source.scale').then((grammar) => {
  const lines = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split('\n').map((l) => l.replace(/\r$/, ''));
  const tokens = [];
  let stack = vsctm.INITIAL;
  for (const line of lines) {
    const r = grammar.tokenizeLine(line, stack);
    tokens.push(r.tokens);
    stack = r.ruleStack;
  }
  const out = [];
  for (const p of fs.readFileSync(positionsPath, 'utf8').split('\n')) {
    if (!p) continue;
    const [ln, , col] = p.split(' ').map(Number);
    const t = tokens[ln - 1].find((k) => k.startIndex <= col && col < k.endIndex);
    out.push(t ? t.scopes.filter((s) => s !== 'source.scale').join(' ') : '');
  }
  process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
});
