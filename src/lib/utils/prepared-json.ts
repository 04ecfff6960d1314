/**
 * Page data that reaches the browser as JSON written once, instead of being walked by SvelteKit's
 * serialiser on every request: for large values computed once per change of published data (the
 * dashboard's figures, 24 KB at ten years, were a tenth of its render). The transport hook
 * (src/hooks.ts) sends `json` and gives the browser a PreparedJson of the same value back. Plain
 * JSON values only: no Date, Map, undefined or NaN.
 */
export class PreparedJson<T> {
	#json: string | undefined;

	constructor(readonly value: T) {}

	get json(): string {
		this.#json ??= JSON.stringify(this.value);
		return this.#json;
	}
}
