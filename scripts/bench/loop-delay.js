// Loaded into a benchmark server by `npm run bench -- --profile DIR` (node --import): every
// second, the event loop's delay (perf_hooks.monitorEventLoopDelay: p50, p99, max) and the garbage
// collector's pauses of that second (count, total, longest), written as JSON to
// SDUSN_LOOP_DELAY_FILE when the server exits. Not part of the portal.
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import process from 'node:process';

const file = process.env.SDUSN_LOOP_DELAY_FILE;
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
/** @type {number[]} */
let pauses = [];
new PerformanceObserver((list) => {
	for (const entry of list.getEntries()) pauses.push(entry.duration);
}).observe({ entryTypes: ['gc'] });
/** @param {number} ns */
const ms = (ns) => Math.round(ns / 1e4) / 100;
/** @type {Record<string, unknown>[]} */
const seconds = [];
const sample = () => {
	seconds.push({
		at: new Date().toISOString(),
		loopP50: ms(delay.percentile(50)),
		loopP99: ms(delay.percentile(99)),
		loopMax: ms(delay.max),
		gcCount: pauses.length,
		gcTotal: Math.round(pauses.reduce((a, b) => a + b, 0) * 10) / 10,
		gcMax: Math.round(Math.max(0, ...pauses) * 10) / 10
	});
	delay.reset();
	pauses = [];
};
setInterval(sample, 1000).unref();
process.on('exit', () => {
	sample();
	if (file) writeFileSync(file, `${JSON.stringify(seconds, null, 1)}\n`);
});
