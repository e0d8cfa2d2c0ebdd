// Coverage of the module under test in a jest or vitest run, computed in the supervisor (no test
// code runs here).
//
// Totals: the tool's own V8 coverage of the module (jest `--coverage --coverageProvider=v8`,
// vitest's @vitest/coverage-v8), as the tool wrote it in coverage-final.json, with the tool's
// own summary (coverage-summary.json) beside it for the host to check.
//
// Per test: the windows of V8 precise coverage the test process took as each test started and
// ended (probe.mjs), over the module's script as V8 compiled it (its text comes with the windows):
//
// - jest (v8-to-istanbul, as c8: every line a statement, every V8 block range a branch): as for
//   node:test (see coverage.mjs), position by position. jest runs the module untransformed, so
//   the module's text is found in the script's and gives the offset between them.
// - vitest (AST-aware: statements and branches are syntax nodes, found in vite's transformed code
//   and mapped back through its source map): each window goes through @vitest/coverage-v8's own
//   conversion (`remapCoverage`) of the script's code and source map, which gives each node the
//   count of the innermost V8 range holding it in that window; a test executed the statements and
//   branch locations counted above zero. They are matched to the totals by location.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { impossibleRanges, INERT, ranInWindow } from './coverage.mjs';

function lineStarts(text) {
  const starts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

// a location as text; istanbul's end-of-line column is Infinity here and null once in JSON
function where(loc) {
  const column = (value) => (value === null || value === Infinity ? 'end' : value);
  return `${loc?.start?.line}:${column(loc?.start?.column)}-${loc?.end?.line}:${column(loc?.end?.column)}`;
}

function addTo(perTest, ids, lines, branches) {
  for (const id of ids) {
    const record = (perTest[id] ??= { lines: new Set(), branches: new Map() });
    for (const line of lines) record.lines.add(line);
    for (const [key, index] of branches) record.branches.set(`${key}:${index}`, [key, index]);
  }
}

// jest: positions in the module's own text, shifted by where it sits in the script
function jestPerTest(data, raw, windows, scripts, perTest, notes) {
  const starts = lineStarts(raw);
  const coveredLines = new Set();
  for (const [key, location] of Object.entries(data.statementMap)) {
    if (data.s[key] > 0) coveredLines.add(location.start.line);
  }
  const branchStarts = [];
  for (const [key, branch] of Object.entries(data.branchMap)) {
    const locations = branch.locations?.length ? branch.locations : [branch.loc];
    locations.forEach((loc, index) => {
      const line = loc?.start?.line ?? branch.loc.start.line;
      if (data.b[key][index] > 0 && starts[line - 1] !== undefined) {
        branchStarts.push([key, index, starts[line - 1] + (loc?.start?.column ?? branch.loc.start.column)]);
      }
    });
  }
  let impossible = 0;
  for (const { ids, functions, script } of windows) {
    const source = scripts.get(script);
    const shift = source === undefined ? -1 : source.indexOf(raw);
    if (shift < 0) {
      notes.add('per-test coverage: the module as jest ran it is not its own text');
      continue;
    }
    impossible += impossibleRanges(functions, source.length);
    const size = source.length + 2;
    const ran = ranInWindow(functions, size);
    const lines = [];
    for (const line of coveredLines) {
      const begin = starts[line - 1];
      const end = line < starts.length ? starts[line] - 1 : raw.length;
      for (let at = begin; at < end; at += 1) {
        if (ran[at + shift] && !INERT.test(raw[at])) {
          lines.push(line);
          break;
        }
      }
    }
    const branches = branchStarts.filter(([, , at]) => ran[at + shift]).map(([key, index]) => [key, index]);
    addTo(perTest, ids, lines, branches);
  }
  return impossible;
}

const VITE_WRAPPER = /^'use strict';async \([^)]*\)=>\{\{/;
const INLINE_MAP = /\n\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/;

// vitest: each window through @vitest/coverage-v8's own conversion
async function vitestPerTest(toolHome, modulePath, raw, data, windows, scripts, perTest, notes) {
  const providerFile = path.join(toolHome, 'node_modules', '@vitest', 'coverage-v8', 'dist', 'provider.js');
  const { V8CoverageProvider } = await import(pathToFileURL(providerFile).href);
  const provider = new V8CoverageProvider();
  provider.options = { ignoreClassMethods: [] };
  provider.ctx = { logger: { error: (...args) => notes.add(`per-test coverage: ${String(args[0]).slice(0, 200)}`) } };
  const url = pathToFileURL(modulePath).href;
  const statements = new Map(Object.entries(data.statementMap).map(([key, loc]) => [where(loc), key]));
  const branchKeys = new Map(
    Object.entries(data.branchMap).map(([key, branch]) => [`${branch.type}@${where(branch.loc)}`, key]),
  );
  let impossible = 0;
  for (const { ids, functions, script } of windows) {
    const source = scripts.get(script);
    if (source === undefined) continue;
    const wrapper = VITE_WRAPPER.exec(source);
    let code;
    let offset;
    if (wrapper && source.endsWith('\n}}')) {
      code = source.slice(wrapper[0].length, source.length - 3);
      offset = wrapper[0].length;
    } else if (source.includes(raw)) {
      // loaded by node itself (a `require` in the test file), untransformed
      code = raw;
      offset = source.indexOf(raw);
    } else {
      notes.add('per-test coverage: the module as vitest ran it is not in the shape vitest gives it');
      continue;
    }
    impossible += impossibleRanges(functions, source.length);
    const inline = wrapper ? INLINE_MAP.exec(code) : null;
    let map;
    if (inline) {
      map = JSON.parse(Buffer.from(inline[1], 'base64').toString('utf8'));
      map.sources = (map.sources ?? []).filter((name) => name != null).map((name) => new URL(name, url).href);
      if (map.sources.length === 0) map.sources.push(url);
    }
    const converted = await provider.remapCoverage(url, offset, { code, map }, functions);
    const file = converted[modulePath] ?? Object.values(converted)[0];
    if (!file) continue;
    const lines = [];
    for (const [key, loc] of Object.entries(file.statementMap)) {
      const known = statements.get(where(loc));
      if (file.s[key] > 0 && known !== undefined && data.s[known] > 0) lines.push(loc.start.line);
    }
    const branches = [];
    for (const [key, branch] of Object.entries(file.branchMap)) {
      const known = branchKeys.get(`${branch.type}@${where(branch.loc)}`);
      if (known === undefined) continue;
      file.b[key].forEach((count, index) => {
        if (count > 0 && data.b[known][index] > 0) branches.push([known, index]);
      });
    }
    addTo(perTest, ids, lines, branches);
  }
  return impossible;
}

/**
 * The module's coverage in the shape coverage.mjs's `moduleCoverage` gives, or null.
 *
 * @param {object} options
 * @param {string} options.framework jest or vitest
 * @param {string} options.toolHome where `atg setup javascript` installed the tools
 * @param {string} options.modulePath the module's file in the workspace
 * @param {{data: object, summary: object|null}|null} options.totals the tool's own coverage
 * @param {{ids: string[], script: string, functions: object[]}[]} options.windows per-test windows
 * @param {Map<string, string>} options.scripts each window's script text by its id
 */
export async function toolModuleCoverage({ framework, toolHome, modulePath, totals, windows, scripts }) {
  if (!totals) return null;
  const { data, summary } = totals;
  const raw = fs.readFileSync(modulePath, 'utf8');
  const perTest = {};
  const notes = new Set();
  const impossible =
    framework === 'vitest'
      ? await vitestPerTest(toolHome, modulePath, raw, data, windows, scripts, perTest, notes)
      : jestPerTest(data, raw, windows, scripts, perTest, notes);
  return {
    istanbul: { statementMap: data.statementMap, s: data.s, branchMap: data.branchMap, b: data.b },
    summary: summary ?? {},
    per_test: Object.fromEntries(
      Object.entries(perTest).map(([id, record]) => [
        id,
        { lines: [...record.lines].sort((a, b) => a - b), branches: [...record.branches.values()] },
      ]),
    ),
    impossible_ranges: impossible,
    notes: [...notes],
  };
}
