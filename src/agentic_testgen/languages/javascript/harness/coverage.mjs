// Coverage of the module under test, computed in the supervisor (no test code runs here).
//
// Totals: the V8 coverage node writes at exit under NODE_V8_COVERAGE, read exactly as c8 reads
// it: every process's file, file URLs made paths, merged with @bcoe/v8-coverage's
// mergeProcessCovs, converted with v8-to-istanbul and summed by istanbul-lib-coverage. These are
// c8's own steps and libraries, so the figures are c8's.
//
// Per test: the windows of V8 precise coverage the test process took as each test started and
// ended (see preload.mjs). V8 shapes each snapshot's ranges by that window's counts, so windows
// are not summed into totals (their merged ranges differ from a whole run's); instead each
// window says, position by position, whether code there ran (the innermost range holding the
// position counted more than zero). A test executed a line when a character of it ran in one of
// its windows, blanks and closing punctuation (`;,)]}`) aside: `return a ? b : c;` did not run
// when only its `;` lies outside the ranges V8 marked unrun. It executed a branch (one V8 block
// range, as c8 counts branches) when the block's first position ran. Both are kept only where
// the totals agree that the line or branch ran.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// characters that say nothing about whether a line's code ran
export const INERT = /[\s;,)\]}]/;

function scriptPath(url) {
  if (typeof url !== 'string') return null;
  if (!url.startsWith('file://')) return url;
  try {
    return fileURLToPath(url);
  } catch {
    return null;
  }
}

export function impossibleRanges(functions, length) {
  let count = 0;
  for (const fn of functions ?? []) {
    for (const range of fn?.ranges ?? []) {
      const { startOffset: start, endOffset: end, count: hits } = range ?? {};
      const valid =
        Number.isInteger(start) && Number.isInteger(end) && Number.isFinite(hits) &&
        start >= 0 && start <= end && end <= length + 1 && hits >= 0;
      if (!valid) count += 1;
    }
  }
  return count;
}

// 1 where code ran in the window, 0 elsewhere (also where no range of the window reaches)
export function ranInWindow(functions, size) {
  const ranges = functions
    .flatMap((fn) => fn.ranges)
    .sort((a, b) => a.startOffset - b.startOffset || b.endOffset - a.endOffset);
  const ran = new Uint8Array(size);
  for (const range of ranges) {
    const start = Math.max(0, Math.min(size, range.startOffset));
    const end = Math.max(start, Math.min(size, range.endOffset));
    ran.fill(range.count > 0 ? 1 : 0, start, end);
  }
  return ran;
}

/**
 * The module's coverage, or null when no process loaded it.
 *
 * @param {object} options
 * @param {string} options.toolHome where `atg setup javascript` installed the tools
 * @param {string} options.modulePath the module's file in the workspace
 * @param {string[]} options.coverageDirs NODE_V8_COVERAGE folders of the totals run
 * @param {{ids: string[], functions: object[]}[]} options.windows the per-test run's windows,
 *   each with the tests that were running
 */
export async function moduleCoverage({ toolHome, modulePath, coverageDirs, windows }) {
  const tools = createRequire(`${toolHome}/package.json`);
  const { mergeProcessCovs } = tools('@bcoe/v8-coverage');
  const v8toIstanbul = tools('v8-to-istanbul');
  const libCoverage = tools('istanbul-lib-coverage');
  const raw = fs.readFileSync(modulePath, 'utf8');

  let impossible = 0;
  const processCovs = [];
  for (const dir of coverageDirs) {
    for (const name of fs.readdirSync(dir).sort()) {
      let report;
      try {
        report = JSON.parse(fs.readFileSync(`${dir}/${name}`, 'utf8'));
      } catch {
        continue; // c8 skips a file it cannot read
      }
      if (!Array.isArray(report?.result)) continue;
      const scripts = report.result
        .filter((script) => scriptPath(script?.url) === modulePath)
        .map((script) => ({ ...script, url: modulePath }));
      for (const script of scripts) impossible += impossibleRanges(script.functions, raw.length);
      processCovs.push({ result: scripts });
    }
  }
  const script = mergeProcessCovs(processCovs).result.find((entry) => entry.url === modulePath);
  if (!script) return null;
  const converter = v8toIstanbul(modulePath, undefined, {});
  await converter.load();
  converter.applyCoverage(script.functions);
  const map = libCoverage.createCoverageMap();
  map.merge(converter.toIstanbul());
  if (!map.files().includes(modulePath)) {
    return { note: 'the module names a source map: c8 reports its original sources instead' };
  }
  const file = map.fileCoverageFor(modulePath);
  const data = file.toJSON();
  const lineHits = file.getLineCoverage();

  const source = converter.covSources[0].source;
  const shift = source.wrapperLength; // V8 offset = v8-to-istanbul column + shift
  const size = Math.max(raw.length, source.eof) + 2;
  const branchStarts = [];
  for (const [key, branch] of Object.entries(data.branchMap)) {
    const locations = branch.locations?.length ? branch.locations : [branch.loc];
    locations.forEach((loc, index) => {
      if (data.b[key][index] > 0) {
        const line = source.lines[loc.start.line - 1];
        if (line) branchStarts.push([key, index, line.startCol + loc.start.column + shift]);
      }
    });
  }
  const statementLines = source.lines.filter((line) => !line.ignore && lineHits[line.line] > 0);

  const perTest = {};
  for (const { ids, functions } of windows) {
    impossible += impossibleRanges(functions, raw.length);
    const ran = ranInWindow(functions, size);
    const lines = new Set();
    const branches = [];
    for (const line of statementLines) {
      for (let column = line.startCol; column < line.endCol; column += 1) {
        const at = column + shift;
        if (at >= 0 && at < size && ran[at] && !INERT.test(raw[column])) {
          lines.add(line.line);
          break;
        }
      }
    }
    for (const [key, index, at] of branchStarts) {
      if (at >= 0 && at < size && ran[at]) branches.push([key, index]);
    }
    for (const id of ids) {
      const record = (perTest[id] ??= { lines: new Set(), branches: new Map() });
      for (const line of lines) record.lines.add(line);
      for (const [key, index] of branches) record.branches.set(`${key}:${index}`, [key, index]);
    }
  }
  return {
    istanbul: {
      statementMap: data.statementMap,
      s: data.s,
      branchMap: data.branchMap,
      b: data.b,
    },
    summary: file.toSummary().toJSON(),
    per_test: Object.fromEntries(
      Object.entries(perTest).map(([id, record]) => [
        id,
        {
          lines: [...record.lines].sort((a, b) => a - b),
          branches: [...record.branches.values()],
        },
      ]),
    ),
    impossible_ranges: impossible,
  };
}
