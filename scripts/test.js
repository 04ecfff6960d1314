// `npm test`: the unit suite and the build (when the sources changed since the last one, as
// `npm start` decides) side by side — the unit tests never read build/ — then, as soon as the
// build is there, the end-to-end suite on it, while the unit suite finishes. The end-to-end suite
// leaves about half of two cores idle (browsers and servers waiting on one another), which the unit
// suite's end fills. Each report is shown whole: the unit suite's as it goes, then the build's,
// then the end-to-end suite's, held until then.
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import process from 'node:process';

/** A lower priority (a higher niceness) for the unit tests: the build and the e2e suite go first. */
const BACKGROUND_PRIORITY = 10;

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ quiet?: boolean, after?: Promise<unknown>, background?: boolean }} [options] `quiet`:
 *   the output is only returned; `after`: the output is held until that promise settles, then shown
 *   as it comes; `background`: runs at a lower priority, on what the others leave of the cores.
 * @returns {Promise<{ code: number, output: string }>}
 */
function run(command, args, { quiet = false, after, background = false } = {}) {
	return new Promise((resolve) => {
		const piped = quiet || after !== undefined;
		const child = spawn(command, args, {
			stdio: piped ? ['ignore', 'pipe', 'pipe'] : 'inherit',
			// Piped, Playwright would drop its colours on a terminal.
			env: piped && process.stdout.isTTY ? { ...process.env, FORCE_COLOR: '1' } : process.env
		});
		// Before it starts any process of its own, which inherit its priority. Not on CI, whose
		// machine may be shared: the unit tests' time limits are set for a fair share of it.
		if (background && !process.env.CI && child.pid) {
			try {
				setPriority(child.pid, BACKGROUND_PRIORITY);
			} catch {
				// Not allowed here: the tests run at the usual priority.
			}
		}
		child.on('error', (error) => {
			process.stderr.write(`${command} n’a pas pu être lancé : ${error.message}\n`);
		});
		let output = '';
		/** @type {Buffer[] | null} */
		let held = after ? [] : null;
		const flush = () => {
			for (const chunk of held ?? []) process.stdout.write(chunk);
			held = null;
		};
		after?.then(flush, flush);
		/** @param {Buffer} chunk */
		const take = (chunk) => {
			output += chunk;
			if (quiet) return;
			if (held) held.push(chunk);
			else process.stdout.write(chunk);
		};
		child.stdout?.on('data', take);
		child.stderr?.on('data', take);
		child.on('close', async (code, signal) => {
			await after?.catch(() => undefined);
			resolve({ code: code ?? (signal ? 1 : 0), output });
		});
	});
}

const build = run(
	process.execPath,
	['--input-type=module', '-e', "(await import('./scripts/start.js')).buildIfNeeded();"],
	{ quiet: true }
);
const unit = run('npm', ['run', 'test:unit'], { background: true });
const built = await build;
if (built.code !== 0) {
	await unit;
	process.stdout.write(`\n${built.output}\n`);
	process.exit(built.code);
}
// The build's output once the unit suite has reported, then the end-to-end suite's.
const unitReported = unit.then((result) => {
	if (built.output) process.stdout.write(`\n${built.output}\n`);
	return result;
});
const e2e = run('npm', ['run', 'test:e2e'], { after: unitReported });
const [unitResult, e2eResult] = await Promise.all([unitReported, e2e]);
process.exit(unitResult.code || e2eResult.code);
