// Whether a file parses the way node would load it: CommonJS (.cjs, and .js by default) is
// compiled as node's module wrapper compiles it; an ES module (.mjs, and a .js file whose
// CommonJS parse fails on import/export, as node's own detection decides) is checked by
// `node --check` as a module. Nothing in the file runs.
import { spawnSync } from 'node:child_process';
import vm from 'node:vm';

// the errors on which node retries a .js file as an ES module
const ESM_SYNTAX = [
  'Cannot use import statement outside a module',
  "Unexpected token 'export'",
  "Cannot use 'import.meta' outside a module",
  'await is only valid in async functions and the top level bodies of modules',
];

function commonJsError(code, file) {
  // a leading #! line is a comment to node's loader
  const body = code.startsWith('#!') ? `//${code.slice(2)}` : code;
  try {
    vm.compileFunction(body, ['exports', 'require', 'module', '__filename', '__dirname'], {
      filename: file,
    });
    return null;
  } catch (error) {
    if (!(error instanceof SyntaxError)) return null;
    const [where = '', , carets = ''] = String(error.stack ?? '').split('\n');
    return {
      line: Number(/:(\d+)$/.exec(where)?.[1] ?? 0),
      column: carets.indexOf('^') + 1,
      message: error.message,
    };
  }
}

function moduleError(node, file) {
  const completed = spawnSync(node, ['--experimental-default-type=module', '--check', file], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' },
    timeout: 60_000,
  });
  if (completed.status === 0) return null;
  const lines = String(completed.stderr ?? '').split('\n');
  const whereAt = lines.findIndex((line) => /:\d+$/.test(line));
  const message = lines.find((line) => line.startsWith('SyntaxError: '));
  if (!message) return null; // not a syntax error (the loader will report what it is)
  const carets = whereAt >= 0 ? (lines[whereAt + 2] ?? '') : '';
  return {
    line: whereAt >= 0 ? Number(/:(\d+)$/.exec(lines[whereAt])[1]) : 0,
    column: carets.indexOf('^') + 1,
    message: message.slice('SyntaxError: '.length),
  };
}

/** The file's first syntax error as {line, column, message}, or null when it parses. */
export function syntaxError(node, file, code) {
  if (file.endsWith('.mjs')) return moduleError(node, file);
  const problem = commonJsError(code, file);
  if (problem && !file.endsWith('.cjs') && ESM_SYNTAX.some((text) => problem.message.includes(text))) {
    return moduleError(node, file);
  }
  return problem;
}

/** Whether node loads the file as an ES module: by its extension, else by node's own detection. */
export function loadsAsModule(file, code) {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  const problem = commonJsError(code, file);
  return Boolean(problem && ESM_SYNTAX.some((text) => problem.message.includes(text)));
}

/**
 * The first syntax error V8 finds in the code, compiled as node would load it, or null; nothing
 * in it runs. An ES module is parsed as a `vm.SourceTextModule`, which needs node's
 * --experimental-vm-modules (without it, modules are not checked: null).
 */
export function compileError(code, file, asModule) {
  if (!asModule) return commonJsError(code, file)?.message ?? null;
  if (typeof vm.SourceTextModule !== 'function') return null;
  try {
    new vm.SourceTextModule(code, { identifier: file }); // eslint-disable-line no-new
    return null;
  } catch (error) {
    return error instanceof SyntaxError ? error.message : null;
  }
}
