// Validates every statement of a JSON array of xAPI statements with Learning Locker's
// @learninglocker/xapi-validation (installed by setup.sh; validate.sh puts it on NODE_PATH).
// Usage: node ll_validate.js FILE.json
// Prints one line per warning and exits 1 if there were any, else prints nothing and exits 0.
'use strict';
const fs = require('fs');
const validate = require('@learninglocker/xapi-validation').default;

const TAG = 'll-xapi-validation';

function label(statement, index) {
  const s = statement && typeof statement === 'object' ? statement : {};
  const id = typeof s.id === 'string' ? s.id : '-';
  const verbId = s.verb && typeof s.verb.id === 'string' ? s.verb.id : '-';
  return `statement[${index}] id=${id} verb=${verbId.replace(/.*\//, '')}`;
}

// rulr may nest warnings (class Warnings); flatten them.
function flatten(warnings) {
  return warnings.flatMap((w) => (Array.isArray(w.warnings) ? flatten(w.warnings) : [w]));
}

// The warning classes carry their details in extra fields (typeName, keys, raw, max, ...).
function describe(w) {
  const kind = w.constructor && w.constructor.name !== 'Object' ? w.constructor.name : w.name;
  const extra = {};
  for (const key of Object.keys(w)) {
    if (!['data', 'path', 'name', 'message', 'stack'].includes(key)) {
      const v = w[key];
      extra[key] = typeof v === 'function' ? v.name : v;
    }
  }
  let data = JSON.stringify(w.data);
  if (data === undefined) data = 'undefined';
  if (data.length > 80) data = data.slice(0, 77) + '...';
  const details = Object.keys(extra).length ? ' ' + JSON.stringify(extra) : '';
  const path = (w.path || []).filter((p, i) => !(i === 0 && p === 'statement')).join('.') || '(statement)';
  return `${path}: ${kind}${details} (value: ${data})`;
}

function main() {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node ll_validate.js FILE.json');
    return 2;
  }
  let statements;
  try {
    statements = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    console.log(`${file}: ${TAG}: cannot read JSON: ${e.message}`);
    return 1;
  }
  if (!Array.isArray(statements)) {
    console.log(`${file}: ${TAG}: expected a JSON array of statements`);
    return 1;
  }
  let problems = 0;
  statements.forEach((statement, index) => {
    let warnings;
    try {
      warnings = flatten(validate(statement));
    } catch (e) {
      warnings = [{ path: [], name: 'Exception', data: String(e) }];
    }
    for (const w of warnings) {
      console.log(`${label(statement, index)}: ${TAG}: ${describe(w)}`);
      problems += 1;
    }
  });
  return problems ? 1 : 0;
}

process.exitCode = main();
