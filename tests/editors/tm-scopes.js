// Tokenizes .scale files with the TextMate grammar (docs/textmate) through vscode-textmate.
// Usage: node tm-scopes.js GRAMMAR LIST, where each line of LIST is "FILE<TAB>POSITIONS<TAB>OUT":
// for each position ("line bytecol utf16col kind") of POSITIONS, the scopes of FILE there are
// written to OUT, one line each. One process for every file: node starts slowly.
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');
const [grammarPath, listPath] = process.argv.slice(2);
const wasm = fs.readFileSync(path.join(__dirname, 'node_modules/vscode-oniguruma/release/onig.wasm'));
const onigLib = oniguruma.loadWASM(wasm.buffer).then(() => ({
  createOnigScanner: (p) => new oniguruma.OnigScanner(p),
  createOnigString: (s) => new oniguruma.OnigString(s),
}));
const registry = new vsctm.Registry({
  onigLib,
  loadGrammar: async () => vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath),
});

function scopes(grammar, file, positionsPath) {
  const lines = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split('\n')
    .map((l) => l.replace(/\r$/, ''));
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
  return out.join('\n') + (out.length ? '\n' : '');
}

registry.loadGrammar('source.scale').then((grammar) => {
  for (const entry of fs.readFileSync(listPath, 'utf8').split('\n')) {
    if (!entry) continue;
    const [file, positions, out] = entry.split('\t');
    fs.writeFileSync(out, scopes(grammar, file, positions));
  }
});
