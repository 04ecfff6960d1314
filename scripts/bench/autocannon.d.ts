// Just what the benchmark uses of autocannon (the package ships no types).
declare module 'autocannon' {
	interface Histogram {
		average: number;
		p50: number;
		p97_5?: number;
		p99: number;
	}
	export interface Result {
		requests: Histogram;
		latency: Histogram;
		errors: number;
		timeouts: number;
		non2xx: number;
	}
	/** The run: awaited, its result; meanwhile, an emitter of each response's time in ms. */
	interface Instance extends Promise<Result> {
		on(
			event: 'response',
			listener: (client: unknown, statusCode: number, bytes: number, responseTime: number) => void
		): void;
	}
	function autocannon(options: {
		url: string;
		connections: number;
		duration: number;
		headers?: Record<string, string>;
		/** Requests sent in turn by each connection. */
		requests?: { method: 'GET'; path: string }[];
	}): Instance;
	namespace autocannon {
		export type { Result };
	}
	export default autocannon;
}
