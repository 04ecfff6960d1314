// `npm test`: the unit suite and the build (when the sources changed since the last one, as
// `npm start` decides) side by side — the unit tests never read build/ — then the end-to-end suite
// on that build. On two cores most of the build's minute hides behind the unit suite. The build's
// output is shown after the unit suite's.
import { spawn } from 'node:child_process';
import process from 'node:process';

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ quiet?: boolean }} [options]
 * @returns {Promise<{ code: number, output: string }>}
 */
function run(command, args, { quiet = false } = {}) {
	return new Promise((resolve) => {
		const child = spawn(command, args, { stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
		let output = '';
		child.stdout?.on('data', (chunk) => (output += chunk));
		child.stderr?.on('data', (chunk) => (output += chunk));
		child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
	});
}

const build = run(
	process.execPath,
	['--input-type=module', '-e', "(await import('./scripts/start.js')).buildIfNeeded();"],
	{ quiet: true }
);
const unit = await run('npm', ['run', 'test:unit']);
const built = await build;
if (built.output) process.stdout.write(`\n${built.output}\n`);
if (built.code !== 0) process.exit(built.code);
if (unit.code !== 0) process.exit(unit.code);
const e2e = await run('npm', ['run', 'test:e2e']);
process.exit(e2e.code);
