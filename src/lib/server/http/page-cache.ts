import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** One kept answer: its body as sent, a gzip copy, and the headers worth replaying. */
export interface CachedAnswer {
	headers: [string, string][];
	body: Uint8Array<ArrayBuffer>;
	gzip: Uint8Array<ArrayBuffer> | null;
	etag: string;
}

/** Headers the cache never stores: per-request ones, and those it sets itself. */
const SKIPPED_HEADERS = new Set([
	'set-cookie',
	'date',
	'content-length',
	'content-encoding',
	'etag',
	'cache-control',
	'vary',
	'connection',
	'keep-alive',
	'transfer-encoding'
]);

/** Bodies smaller than this are sent as they are: gzip would not pay for itself. */
const GZIP_FROM_BYTES = 1024;

/**
 * A bounded least-recently-used store of rendered answers. Keys carry the database stamp, so an
 * entry is never invalidated: after a change, requests use new keys and old entries age out.
 */
export class PageCache {
	readonly #entries = new Map<string, CachedAnswer>();
	readonly #rendering = new Map<string, Promise<CachedAnswer | Response>>();
	#bytes = 0;

	constructor(
		readonly maxBytes: number,
		readonly maxEntryBytes: number
	) {}

	get size(): number {
		return this.#entries.size;
	}

	get bytes(): number {
		return this.#bytes;
	}

	/**
	 * The kept answer for `key`, or `render()`'s, kept when it is a plain 200 without cookie.
	 * Requests arriving while the same key renders wait for that one render instead of starting
	 * their own (after a change, a busy page is rendered once, not once per waiting visitor).
	 */
	async answer(
		key: string,
		request: Request,
		render: () => Promise<Response>,
		cacheControl: string
	): Promise<Response> {
		const kept = this.get(key);
		if (kept) return replay(kept, request, cacheControl);
		const inFlight = this.#rendering.get(key);
		if (inFlight) {
			const shared = await inFlight.catch(() => null);
			return shared && !(shared instanceof Response)
				? replay(shared, request, cacheControl)
				: render();
		}
		const rendering = render().then(async (response) => {
			if (response.status !== 200 || response.headers.has('set-cookie')) return response;
			return this.store(key, response.headers, new Uint8Array(await response.arrayBuffer()));
		});
		this.#rendering.set(key, rendering);
		const done = () => this.#rendering.delete(key);
		rendering.then(done, done);
		const result = await rendering;
		return result instanceof Response ? result : replay(result, request, cacheControl);
	}

	get(key: string): CachedAnswer | undefined {
		const entry = this.#entries.get(key);
		if (entry) {
			this.#entries.delete(key);
			this.#entries.set(key, entry);
		}
		return entry;
	}

	/**
	 * Keeps the answer when it fits; returns it either way (ETag and gzip computed once). An answer
	 * too large to keep is not compressed: compressing megabytes on every request would let any
	 * visitor spend the server's processor.
	 */
	store(key: string, headers: Headers, body: Uint8Array<ArrayBuffer>): CachedAnswer {
		if (body.byteLength > this.maxEntryBytes) return prepareAnswer(headers, body, false);
		const entry = prepareAnswer(headers, body);
		const size = sizeOf(entry);
		if (size > this.maxEntryBytes) return entry;
		const previous = this.#entries.get(key);
		if (previous) this.#remove(key, previous);
		this.#entries.set(key, entry);
		this.#bytes += size;
		for (const [oldKey, old] of this.#entries) {
			if (this.#bytes <= this.maxBytes) break;
			this.#remove(oldKey, old);
		}
		return entry;
	}

	clear(): void {
		this.#entries.clear();
		this.#bytes = 0;
	}

	#remove(key: string, entry: CachedAnswer): void {
		this.#entries.delete(key);
		this.#bytes -= sizeOf(entry);
	}
}

function sizeOf(entry: CachedAnswer): number {
	return entry.body.byteLength + (entry.gzip?.byteLength ?? 0);
}

export function prepareAnswer(
	headers: Headers,
	body: Uint8Array<ArrayBuffer>,
	compress = true
): CachedAnswer {
	const kept: [string, string][] = [];
	headers.forEach((value, name) => {
		if (!SKIPPED_HEADERS.has(name)) kept.push([name, value]);
	});
	const digest = createHash('sha256').update(body).digest('base64url').slice(0, 27);
	return {
		headers: kept,
		body,
		gzip: compress && body.byteLength >= GZIP_FROM_BYTES ? new Uint8Array(gzipSync(body)) : null,
		etag: `"${digest}"`
	};
}

/** True when an If-None-Match header names this entity tag (weak comparison, as for GET). */
export function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
	if (!ifNoneMatch) return false;
	if (ifNoneMatch.trim() === '*') return true;
	return ifNoneMatch
		.split(',')
		.map((tag) => tag.trim().replace(/^W\//, ''))
		.includes(etag);
}

/** True when the client accepts gzip (absent, or with a non-zero quality). */
export function acceptsGzip(acceptEncoding: string | null): boolean {
	if (!acceptEncoding) return false;
	return acceptEncoding.split(',').some((part) => {
		const [coding, ...params] = part.trim().toLowerCase().split(';');
		if (coding !== 'gzip' && coding !== '*') return false;
		const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		return q === undefined || Number(q.slice(2)) > 0;
	});
}

/** The answer to send: 304 when the client holds it, gzip when accepted, the body otherwise. */
export function replay(entry: CachedAnswer, request: Request, cacheControl: string): Response {
	const headers = new Headers(entry.headers);
	headers.set('ETag', entry.etag);
	headers.set('Cache-Control', cacheControl);
	headers.set('Vary', 'Cookie, Accept-Encoding');
	if (matchesEtag(request.headers.get('if-none-match'), entry.etag)) {
		for (const name of ['content-type', 'content-disposition', 'content-security-policy'])
			headers.delete(name);
		return new Response(null, { status: 304, headers });
	}
	if (entry.gzip && acceptsGzip(request.headers.get('accept-encoding'))) {
		headers.set('Content-Encoding', 'gzip');
		headers.set('Content-Length', String(entry.gzip.byteLength));
		return new Response(entry.gzip, { status: 200, headers });
	}
	headers.set('Content-Length', String(entry.body.byteLength));
	return new Response(entry.body, { status: 200, headers });
}
