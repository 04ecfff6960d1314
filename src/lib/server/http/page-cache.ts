import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gunzip, gunzipSync, gzip } from 'node:zlib';

/** The content codings the cache keeps, in the server's order of preference (smallest first). */
export const CODINGS = ['br', 'gzip'] as const;
export type Coding = (typeof CODINGS)[number];

/** One kept answer: its compressed copies (or its plain body), and the headers worth replaying. */
export interface CachedAnswer {
	headers: [string, string][];
	/**
	 * The body as rendered, kept only where there is no gzip copy (too small to compress, or too
	 * large to keep) or where inflating the copy would cost too much (over PLAIN_FROM_GZIP_UP_TO).
	 * Otherwise null: nearly every client accepts gzip or brotli, and the few that accept neither
	 * get the gzip copy inflated (a fraction of a millisecond for a page, against its render).
	 */
	body: Uint8Array<ArrayBuffer> | null;
	/** Length of the plain body, kept or not. */
	length: number;
	/**
	 * Gzip from the start; brotli once the answer is asked for again. Empty when the body is too
	 * small (or too large to keep) to be worth compressing.
	 */
	encoded: Partial<Record<Coding, Uint8Array<ArrayBuffer>>>;
	/** Weak: the gzip, brotli and plain copies are the same content, so they share it. */
	etag: string;
	/** The brotli copy being made, once a second request asked for this answer. */
	brotli: Promise<void> | null;
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

/** Bodies smaller than this are sent as they are: compression would not pay for itself. */
const COMPRESS_FROM_BYTES = 1024;
/**
 * Brotli's best quality gives pages a quarter to a third smaller than gzip, but costs several
 * times the page's render (figures in docs/performance.md): it is spent only on answers asked for
 * twice (a URL nobody asks for again costs its render and a gzip, as it would without the cache), and never
 * keeps a visitor waiting (gzip is sent meanwhile). Above this size (the open data), a fast quality
 * that costs what gzip costs.
 */
const BROTLI_BEST_UP_TO_BYTES = 256 * 1024;
const BROTLI_FAST_QUALITY = 5;
/**
 * Brotli copies are made one at a time, and at most this many wait: at best quality a 30 KB page
 * takes tens of milliseconds of a core, and when hundreds of answers came up at once (filters in
 * rotation) their copies took every libuv thread for seconds — the threads that also read the
 * static files and hash the passwords. A copy not started now is started by a later request.
 */
const BROTLI_QUEUE_MAX = 4;
/** Up to this size, the plain body of a compressed answer is not kept (see CachedAnswer.body). */
const PLAIN_FROM_GZIP_UP_TO_BYTES = 256 * 1024;

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
const brotliAsync = promisify(brotliCompress);

/**
 * A bounded least-recently-used store of rendered answers. Keys carry the database stamp, so an
 * entry is never invalidated: after a change, requests use new keys and old entries age out.
 */
/** Kept answers differ by session cookie and by the compression the client accepts. */
const VARY = 'Cookie, Accept-Encoding';

export class PageCache {
	readonly #entries = new Map<string, CachedAnswer>();
	/** Brotli copies running or waiting (BROTLI_QUEUE_MAX). */
	#brotliPending = 0;
	#brotliQueue: Promise<unknown> = Promise.resolve();
	readonly #rendering = new Map<string, Promise<CachedAnswer | Response>>();
	#bytes = 0;

	constructor(
		readonly maxBytes: number,
		readonly maxEntryBytes: number,
		/**
		 * `best`: brotli's best quality up to BROTLI_BEST_UP_TO_BYTES (the pages everyone reads, made
		 * once per change); `fast`: always the fast quality, for answers that are many and each asked
		 * for by few (filters): the best quality costs a list of filters many times the fast one's
		 * time for a copy hardly smaller (docs/performance.md, « brotli at best quality »).
		 */
		readonly brotliQuality: 'best' | 'fast' = 'best'
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
	 * HEAD (link checkers, monitoring, download managers) takes the same path: the route renders
	 * its whole body for HEAD too (SvelteKit calls GET), which is kept, and replay sends the
	 * headers GET would, ETag and Content-Length included, without the body — even when no GET
	 * came first.
	 */
	async answer(
		key: string,
		request: Request,
		render: () => Promise<Response>,
		cacheControl: string
	): Promise<Response> {
		const kept = this.get(key);
		if (kept) {
			this.#addBrotli(key, kept);
			return replay(kept, request, cacheControl);
		}
		const inFlight = this.#rendering.get(key);
		if (inFlight) {
			const shared = await inFlight.catch(() => null);
			if (!shared || shared instanceof Response) return render();
			this.#addBrotli(key, shared);
			return replay(shared, request, cacheControl);
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
	 * Keeps the answer when it fits; returns it either way (ETag and compressed copies computed
	 * once). An answer too large to keep is not compressed: compressing megabytes on every request
	 * would let any visitor spend the server's processor.
	 */
	async store(key: string, headers: Headers, body: Uint8Array<ArrayBuffer>): Promise<CachedAnswer> {
		if (body.byteLength > this.maxEntryBytes) return prepareAnswer(headers, body, false);
		const entry = await prepareAnswer(headers, body);
		const size = sizeOf(entry);
		if (size > this.maxEntryBytes) return entry;
		const previous = this.#entries.get(key);
		if (previous) this.#remove(key, previous);
		this.#entries.set(key, entry);
		this.#bytes += size;
		this.#evict();
		return entry;
	}

	clear(): void {
		this.#entries.clear();
		this.#bytes = 0;
	}

	/**
	 * Queues the brotli copy of a kept answer, once (unless the queue is full: a later request will
	 * ask again); it counts in the size when it lands. Requests meanwhile get the gzip copy.
	 */
	#addBrotli(key: string, entry: CachedAnswer): void {
		if (entry.brotli || !entry.encoded.gzip || this.#brotliPending >= BROTLI_QUEUE_MAX) return;
		this.#brotliPending++;
		const copied = this.#brotliQueue.then(async () => {
			// Evicted while waiting: nobody will read the copy.
			if (this.#entries.get(key) !== entry) return;
			const copy = await brotliCopy(await plainBodyAsync(entry), this.brotliQuality === 'fast');
			entry.encoded.br = copy;
			if (this.#entries.get(key) !== entry) return;
			this.#bytes += copy.byteLength;
			this.#evict();
		});
		entry.brotli = copied.then(
			() => undefined,
			// Not worth failing a request for: the gzip copy stays.
			() => undefined
		);
		this.#brotliQueue = entry.brotli.finally(() => this.#brotliPending--);
	}

	#evict(): void {
		for (const [oldKey, old] of this.#entries) {
			if (this.#bytes <= this.maxBytes) break;
			this.#remove(oldKey, old);
		}
	}

	#remove(key: string, entry: CachedAnswer): void {
		this.#entries.delete(key);
		this.#bytes -= sizeOf(entry);
	}
}

function sizeOf(entry: CachedAnswer): number {
	let size = entry.body?.byteLength ?? 0;
	for (const copy of Object.values(entry.encoded)) size += copy.byteLength;
	return size;
}

// Both copies are made on libuv's worker threads: the server keeps answering meanwhile.
async function gzipCopy(body: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
	return new Uint8Array(await gzipAsync(body));
}

async function brotliCopy(
	body: Uint8Array<ArrayBuffer>,
	fast = false
): Promise<Uint8Array<ArrayBuffer>> {
	const quality =
		!fast && body.byteLength <= BROTLI_BEST_UP_TO_BYTES
			? constants.BROTLI_MAX_QUALITY
			: BROTLI_FAST_QUALITY;
	const params = {
		[constants.BROTLI_PARAM_QUALITY]: quality,
		[constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength
	};
	return new Uint8Array(await brotliAsync(body, { params }));
}

/** The copies the cache serves once an answer is asked for twice (the benchmark's reference). */
export async function compressBody(
	body: Uint8Array<ArrayBuffer>
): Promise<Record<Coding, Uint8Array<ArrayBuffer>>> {
	const [br, gzip] = await Promise.all([brotliCopy(body), gzipCopy(body)]);
	return { br, gzip };
}

async function prepareAnswer(
	headers: Headers,
	body: Uint8Array<ArrayBuffer>,
	compress = true
): Promise<CachedAnswer> {
	const kept: [string, string][] = [];
	headers.forEach((value, name) => {
		if (!SKIPPED_HEADERS.has(name)) kept.push([name, value]);
	});
	const digest = createHash('sha256').update(body).digest('base64url').slice(0, 27);
	const gzipped =
		compress && body.byteLength >= COMPRESS_FROM_BYTES ? await gzipCopy(body) : undefined;
	return {
		headers: kept,
		body: gzipped && body.byteLength <= PLAIN_FROM_GZIP_UP_TO_BYTES ? null : body,
		length: body.byteLength,
		encoded: gzipped ? { gzip: gzipped } : {},
		etag: `W/"${digest}"`,
		brotli: null
	};
}

/**
 * An answer rendered and not replayed from the cache (the cache off, a signed-in visitor, an
 * address never kept) that offers ranges (`Accept-Ranges: bytes`: the open data): a GET with
 * Range is answered by replay, as a kept answer is (206, 416, If-Range), not with the whole file
 * the route rendered. Any other answer passes as it is.
 */
export async function rangedAnswer(
	request: Request,
	response: Response,
	cacheControl: string
): Promise<Response> {
	if (
		request.method !== 'GET' ||
		!request.headers.has('range') ||
		response.status !== 200 ||
		response.headers.get('accept-ranges') !== 'bytes'
	)
		return response;
	const body = new Uint8Array(await response.arrayBuffer());
	const replayed = replay(
		await prepareAnswer(response.headers, body, false),
		request,
		cacheControl
	);
	// A session renewed by this request: its cookie, which no kept answer carries, goes with it.
	const cookies = response.headers.getSetCookie();
	if (cookies.length === 0) return replayed;
	const headers = new Headers(replayed.headers);
	for (const cookie of cookies) headers.append('set-cookie', cookie);
	return new Response(replayed.body, { status: replayed.status, headers });
}

/** The plain body: kept, or inflated from the gzip copy (at most PLAIN_FROM_GZIP_UP_TO_BYTES). */
function plainBody(entry: CachedAnswer): Uint8Array<ArrayBuffer> {
	return entry.body ?? new Uint8Array(gunzipSync(entry.encoded.gzip!));
}

async function plainBodyAsync(entry: CachedAnswer): Promise<Uint8Array<ArrayBuffer>> {
	return entry.body ?? new Uint8Array(await gunzipAsync(entry.encoded.gzip!));
}

/** True when an If-None-Match header names this entity tag (weak comparison, as for GET). */
export function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
	if (!ifNoneMatch) return false;
	if (ifNoneMatch.trim() === '*') return true;
	const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
	return ifNoneMatch.split(',').map(opaque).includes(opaque(etag));
}

/**
 * True when the client holds this answer: its If-None-Match names the entity tag or, when it sends
 * none (RFC 9110 § 13.2.2), its If-Modified-Since is no earlier than the answer's Last-Modified.
 */
function clientHolds(request: Request, etag: string, lastModified: string | null): boolean {
	const ifNoneMatch = request.headers.get('if-none-match');
	if (ifNoneMatch !== null) return matchesEtag(ifNoneMatch, etag);
	const since = Date.parse(request.headers.get('if-modified-since') ?? '');
	const modified = Date.parse(lastModified ?? '');
	return Number.isFinite(since) && Number.isFinite(modified) && modified <= since;
}

/**
 * The coding to send among those offered, as the client's Accept-Encoding ranks them: the highest
 * quality wins, the server's order (smallest first) breaks ties, `*` stands for codings not named,
 * and q=0 refuses. Null when no offered coding is acceptable (the plain body is sent).
 */
export function preferredCoding(
	acceptEncoding: string | null,
	offered: readonly Coding[]
): Coding | null {
	if (!acceptEncoding) return null;
	const qualities = new Map<string, number>();
	for (const part of acceptEncoding.split(',')) {
		const [coding, ...params] = part.trim().toLowerCase().split(';');
		const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		const quality = q === undefined ? 1 : Number(q.slice(2));
		if (coding) qualities.set(coding, Number.isFinite(quality) ? quality : 0);
	}
	let best: Coding | null = null;
	let bestQuality = 0;
	for (const coding of offered) {
		const quality = qualities.get(coding) ?? qualities.get('*') ?? 0;
		if (quality > bestQuality) [best, bestQuality] = [coding, quality];
	}
	return best;
}

/**
 * preferredCoding for a kept answer, remembered per Accept-Encoding header: browsers send a handful
 * of different ones, and parsing it showed in the profile of cached pages. Bounded, since anyone
 * can send any header.
 */
const codingChoices = new Map<string, Coding | null>();
const CODING_CHOICES_MAX = 64;

function codingFor(acceptEncoding: string | null, entry: CachedAnswer): Coding | null {
	const offered = CODINGS.filter((coding) => entry.encoded[coding]);
	const key = `${offered.join(',')}|${acceptEncoding ?? ''}`;
	let coding = codingChoices.get(key);
	if (coding === undefined) {
		coding = preferredCoding(acceptEncoding, offered);
		if (codingChoices.size >= CODING_CHOICES_MAX) codingChoices.clear();
		codingChoices.set(key, coding);
	}
	return coding;
}

/**
 * The one range of bytes a Range header asks for (RFC 9110 § 14.1.2: `bytes=first-last`,
 * `bytes=first-` or `bytes=-suffix`) within a body of `length` bytes. Undefined when there is no
 * such header, or it is not one valid range of bytes (several ranges included): the whole body is
 * sent, as RFC 9110 allows. Null when the range is unsatisfiable (416).
 */
function byteRange(
	header: string | null,
	length: number
): { start: number; end: number } | null | undefined {
	const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
	if (!match || (match[1] === '' && match[2] === '')) return undefined;
	const [first, last] = [match[1]!, match[2]!];
	if (first === '') {
		const suffix = Number(last);
		return suffix === 0 || length === 0
			? null
			: { start: Math.max(0, length - suffix), end: length - 1 };
	}
	const start = Number(first);
	if (last !== '' && Number(last) < start) return undefined;
	if (start >= length) return null;
	return { start, end: last === '' ? length - 1 : Math.min(Number(last), length - 1) };
}

/**
 * Whether a request's If-Range, if any, names this answer: its strong entity tag exactly (a weak
 * one never matches, RFC 9110 § 13.1.5), or its Last-Modified date exactly. Otherwise the whole
 * answer is sent: the part the client holds is of another version.
 */
function ifRangeHolds(request: Request, strongEtag: string, lastModified: string | null): boolean {
	const ifRange = request.headers.get('if-range')?.trim();
	if (ifRange === undefined) return true;
	return ifRange.startsWith('"') ? ifRange === strongEtag : ifRange === lastModified;
}

/**
 * The answer to send: 304 when the client holds it, compressed when accepted, plain otherwise. An
 * answer that offers ranges (its route sends `Accept-Ranges: bytes`: the open data, whose ten-year
 * mesures.csv is megabytes a broken download resumes with `curl -C -` or `wget -c`) is sent plain
 * to a GET with Range, as 206 with the part asked for (416 when past the end, the whole body when
 * If-Range names another version); its plain answers carry a strong ETag (the weak one's digest,
 * that of the plain body) for If-Range.
 */
export function replay(entry: CachedAnswer, request: Request, cacheControl: string): Response {
	const headers = new Headers(entry.headers);
	headers.set('ETag', entry.etag);
	headers.set('Cache-Control', cacheControl);
	headers.set('Vary', VARY);
	if (clientHolds(request, entry.etag, headers.get('last-modified'))) {
		for (const name of ['content-type', 'content-disposition', 'content-security-policy'])
			headers.delete(name);
		return new Response(null, { status: 304, headers });
	}
	const ranges = headers.get('accept-ranges') === 'bytes';
	const range = ranges && request.method === 'GET' ? request.headers.get('range') : null;
	const coding = range === null ? codingFor(request.headers.get('accept-encoding'), entry) : null;
	const encoded = coding && entry.encoded[coding];
	// HEAD: the same headers as GET, no body.
	const head = request.method === 'HEAD';
	if (coding && encoded) {
		headers.set('Content-Encoding', coding);
		headers.set('Content-Length', String(encoded.byteLength));
		return new Response(head ? null : encoded, { status: 200, headers });
	}
	const strongEtag = entry.etag.replace(/^W\//, '');
	if (ranges) headers.set('ETag', strongEtag);
	const part =
		range !== null && ifRangeHolds(request, strongEtag, headers.get('last-modified'))
			? byteRange(range, entry.length)
			: undefined;
	if (part === null) {
		headers.set('Content-Range', `bytes */${entry.length}`);
		headers.delete('content-type');
		headers.delete('content-disposition');
		return new Response(null, { status: 416, headers });
	}
	if (part) {
		headers.set('Content-Range', `bytes ${part.start}-${part.end}/${entry.length}`);
		headers.set('Content-Length', String(part.end - part.start + 1));
		return new Response(plainBody(entry).subarray(part.start, part.end + 1), {
			status: 206,
			headers
		});
	}
	headers.set('Content-Length', String(entry.length));
	return new Response(head ? null : plainBody(entry), { status: 200, headers });
}
