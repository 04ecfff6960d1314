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
	function autocannon(options: {
		url: string;
		connections: number;
		duration: number;
		headers?: Record<string, string>;
	}): Promise<Result>;
	namespace autocannon {
		export type { Result };
	}
	export default autocannon;
}
