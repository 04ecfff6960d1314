// One autocannon measurement, as every part of the benchmark takes it: a one-second warm-up, then
// the measured run, with each response's time and size (and the server's processor time around
// the run when its process id is given).
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export type AutocannonOptions = Omit<Parameters<typeof autocannon>[0], 'duration'>;

export interface AutocannonRun {
	result: autocannon.Result;
	/** Every response's time during the measured run, in ms, sorted. */
	times: number[];
	/** Mean size of an answer as received (headers and body, compressed); 0 without answers. */
	bytes: number;
	/** The server's processor time during the measured run, in ms; null without a pid or /proc. */
	cpuMs: number | null;
}

/** A process's processor time so far (user and system, all threads) in ms; null without /proc. */
function processCpuMs(pid: number | undefined): number | null {
	if (pid === undefined) return null;
	try {
		// Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th,
		// in clock ticks (USER_HZ, 100 on Linux).
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
	} catch {
		return null;
	}
}

/** The load of a measured run for one second, measuring nothing. */
export async function warmUp(options: AutocannonOptions): Promise<void> {
	await autocannon({ ...options, duration: 1 });
}

/** One-second warm-up, then the measured run of `duration` seconds. */
export async function runAutocannon(
	options: AutocannonOptions,
	duration: number,
	/** The server's process id, for its processor time during the run. */
	pid?: number
): Promise<AutocannonRun> {
	await warmUp(options);
	const times: number[] = [];
	let bytes = 0;
	const cpuBefore = processCpuMs(pid);
	const run = autocannon({ ...options, duration });
	run.on('response', (_client, _status, size, responseTime) => {
		times.push(responseTime);
		bytes += size;
	});
	const result = await run;
	const cpuAfter = processCpuMs(pid);
	times.sort((a, b) => a - b);
	return {
		result,
		times,
		bytes: times.length ? Math.round(bytes / times.length) : 0,
		cpuMs: cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null
	};
}

/** Percentile of sorted values (nearest rank), to a tenth; 0 without values. */
export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return 0;
	const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
	return Math.round(sorted[Math.max(0, index)]! * 10) / 10;
}
