import { existsSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { matchesEtag, PageCache, preferredCoding, rangedAnswer, replay } from './page-cache';
import { SESSION_ROUTES } from './cacheable-routes';

const html = (text: string) => new Uint8Array(new TextEncoder().encode(text));
const headers = () =>
	new Headers({
		'content-type': 'text/html',
		'content-security-policy': "script-src 'self'",
		'set-cookie': 'x=1',
		date: 'Sun, 29 Nov 2026 10:00:00 GMT'
	});
const get = (extra: Record<string, string> = {}) =>
	new Request('http://localhost/fiches', { headers: extra });

describe('page cache', () => {
	it('replays the body with its headers, an ETag, and never a cookie or a date', async () => {
		const cache = new PageCache(1_000_000, 100_000);
		await cache.store('k', headers(), html('<p>fiche</p>'));
		const response = replay(cache.get('k')!, get(), 'public, no-cache');
		expect(response.status).toBe(200);
		expect(await response.text()).toBe('<p>fiche</p>');
		expect(response.headers.get('content-security-policy')).toBe("script-src 'self'");
		expect(response.headers.get('set-cookie')).toBeNull();
		expect(response.headers.get('date')).toBeNull();
		expect(response.headers.get('cache-control')).toBe('public, no-cache');
		expect(response.headers.get('vary')).toBe('Cookie, Accept-Encoding');
		expect(response.headers.get('etag')).toMatch(/^W\/"[\w-]{27}"$/);
	});

	it('answers 304 to a client holding the same ETag, and the coding it prefers', async () => {
		const cache = new PageCache(1_000_000, 100_000);
		const body = `<main>${'Fiche action 14-1 : Wifi public. '.repeat(100)}</main>`;
		const entry = await cache.store('k', headers(), html(body));
		const strong = entry.etag.replace(/^W\//, '');
		expect(replay(entry, get({ 'if-none-match': entry.etag }), 'x').status).toBe(304);
		expect(replay(entry, get({ 'if-none-match': strong }), 'x').status).toBe(304);
		expect(replay(entry, get({ 'if-none-match': '"autre"' }), 'x').status).toBe(200);
		// What Chromium sends: gzip until the answer is asked for again, then brotli, the smallest.
		const chromium = { 'accept-encoding': 'gzip, deflate, br, zstd' };
		expect(replay(entry, get(chromium), 'x').headers.get('content-encoding')).toBe('gzip');
		await cache.answer('k', get(), () => Promise.reject(new Error('kept')), 'x');
		await entry.brotli;
		const brotli = replay(entry, get(chromium), 'x');
		expect(brotli.headers.get('content-encoding')).toBe('br');
		const brotliBytes = Buffer.from(await brotli.arrayBuffer());
		expect(brotliDecompressSync(brotliBytes).toString()).toBe(body);
		expect(brotli.headers.get('content-length')).toBe(String(brotliBytes.byteLength));
		const zipped = replay(entry, get({ 'accept-encoding': 'gzip, deflate' }), 'x');
		expect(zipped.headers.get('content-encoding')).toBe('gzip');
		expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString()).toBe(body);
		const plain = replay(entry, get({ 'accept-encoding': 'gzip;q=0, br;q=0' }), 'x');
		expect(plain.headers.get('content-encoding')).toBeNull();
		expect(await plain.text()).toBe(body);
	});

	it('answers HEAD with the ETag and length GET would, even when no GET came first', async () => {
		const body = 'code;titre\n1-1;Wifi public\n'.repeat(100);
		const file = () =>
			Promise.resolve(
				new Response(body, {
					headers: { 'content-type': 'text/csv', 'accept-ranges': 'bytes' }
				})
			);
		const head = (extra: Record<string, string> = {}) =>
			new Request('http://localhost/donnees/fiches.csv', { method: 'HEAD', headers: extra });
		const cold = new PageCache(1_000_000, 100_000);
		const first = await cold.answer('k', head(), file, 'x');
		expect(first.status).toBe(200);
		expect(first.body).toBeNull();
		const etag = first.headers.get('etag');
		expect(etag).toMatch(/^"[\w-]{27}"$/);
		expect(first.headers.get('content-length')).toBe(String(html(body).byteLength));
		// The rendering is kept: GET replays it, with the same validator and length.
		const got = await cold.answer('k', get(), () => Promise.reject(new Error('kept')), 'x');
		expect(got.headers.get('etag')).toBe(etag);
		expect(got.headers.get('content-length')).toBe(first.headers.get('content-length'));
		expect(await got.text()).toBe(body);
		// A cold HEAD naming the validator GET would give is answered 304.
		const other = new PageCache(1_000_000, 100_000);
		expect((await other.answer('k', head({ 'if-none-match': etag! }), file, 'x')).status).toBe(304);
	});

	it('answers 304 to If-Modified-Since no earlier than Last-Modified, unless If-None-Match differs', async () => {
		const cache = new PageCache(1_000_000, 100_000);
		const withDate = headers();
		withDate.set('last-modified', 'Tue, 01 Dec 2026 10:00:00 GMT');
		const entry = await cache.store('k', withDate, html('<p>données</p>'));
		const since = (date: string, extra: Record<string, string> = {}) =>
			replay(entry, get({ 'if-modified-since': date, ...extra }), 'x').status;
		expect(since('Tue, 01 Dec 2026 10:00:00 GMT')).toBe(304);
		expect(since('Wed, 02 Dec 2026 08:00:00 GMT')).toBe(304);
		expect(since('Tue, 01 Dec 2026 09:59:59 GMT')).toBe(200);
		expect(since('pas une date')).toBe(200);
		// An entity tag, when sent, decides alone.
		expect(since('Wed, 02 Dec 2026 08:00:00 GMT', { 'if-none-match': '"autre"' })).toBe(200);
		const undated = await cache.store('u', headers(), html('<p>page</p>'));
		expect(
			replay(undated, get({ 'if-modified-since': 'Wed, 02 Dec 2026 08:00:00 GMT' }), 'x').status
		).toBe(200);
	});

	it('sends a small body as it is', async () => {
		const cache = new PageCache(1_000_000, 100_000);
		const entry = await cache.store('k', headers(), html('<p>court</p>'));
		expect(entry.encoded).toEqual({});
		const response = replay(entry, get({ 'accept-encoding': 'br, gzip' }), 'x');
		expect(response.headers.get('content-encoding')).toBeNull();
		expect(await response.text()).toBe('<p>court</p>');
	});

	it('gives a different ETag to a different body, the same to the same', async () => {
		const cache = new PageCache(1_000_000, 100_000);
		const a = await cache.store('a', headers(), html('un'));
		expect((await cache.store('b', headers(), html('un'))).etag).toBe(a.etag);
		expect((await cache.store('c', headers(), html('deux'))).etag).not.toBe(a.etag);
	});

	it('stays within its size: least recently used entries go first, oversized ones never enter', async () => {
		const cache = new PageCache(250, 200);
		await cache.store('a', headers(), html('a'.repeat(100)));
		await cache.store('b', headers(), html('b'.repeat(100)));
		cache.get('a');
		await cache.store('c', headers(), html('c'.repeat(100)));
		expect(cache.get('b')).toBeUndefined();
		expect(cache.get('a')).toBeDefined();
		expect(cache.get('c')).toBeDefined();
		expect(cache.bytes).toBeLessThanOrEqual(250);
		const big = await cache.store('d', headers(), html('d'.repeat(3000)));
		expect(big.body?.byteLength).toBe(3000);
		expect(big.encoded).toEqual({});
		expect(cache.get('d')).toBeUndefined();
	});

	it('spends brotli only on answers asked for twice, and counts each copy in its size', async () => {
		const cache = new PageCache(1_000_000, 100_000);
		let renders = 0;
		const render = async () => {
			renders += 1;
			return new Response('Wifi public. '.repeat(200), { status: 200 });
		};
		await cache.answer('k', get(), render, 'x');
		const entry = cache.get('k')!;
		expect(entry.brotli).toBeNull();
		// A compressed answer keeps its copies, not its plain body.
		expect(entry.body).toBeNull();
		expect(cache.bytes).toBe(entry.encoded.gzip!.byteLength);
		await cache.answer('k', get(), render, 'x');
		await entry.brotli;
		expect(renders).toBe(1);
		expect(brotliDecompressSync(entry.encoded.br!).toString()).toBe('Wifi public. '.repeat(200));
		expect(cache.bytes).toBe(entry.encoded.br!.byteLength + entry.encoded.gzip!.byteLength);
		// Asked for a third time: no second brotli copy.
		const made = entry.brotli;
		await cache.answer('k', get(), render, 'x');
		expect(entry.brotli).toBe(made);
	});

	it('sends the plain body, inflated from its gzip copy, to a client that accepts no coding', async () => {
		const cache = new PageCache(1_000_000, 100_000);
		const text = '<p>Fiche 14-1 : très haut débit</p>'.repeat(100);
		const entry = await cache.store('k', headers(), html(text));
		expect(entry.body).toBeNull();
		const plain = replay(entry, get({ 'accept-encoding': 'identity' }), 'x');
		expect(plain.headers.get('content-encoding')).toBeNull();
		expect(plain.headers.get('content-length')).toBe(String(html(text).byteLength));
		expect(await plain.text()).toBe(text);
	});

	it('keeps in rotation more answers than their plain bodies would fit (filters)', async () => {
		// 40 different lists of about 6 KB each (240 KB plain) under a budget of 100 KB: with the
		// plain bodies kept, least recently used first out evicted the next one asked for every time.
		const cache = new PageCache(100_000, 50_000);
		let renders = 0;
		const page = (i: number) =>
			Array.from({ length: 60 }, (_, row) => `<tr><td>${i}-${row}</td><td>fiche en cours</td></tr>`)
				.join('\n')
				.padEnd(6000, ' ');
		for (let pass = 0; pass < 3; pass++)
			for (let i = 0; i < 40; i++)
				await cache.answer(
					`k${i}`,
					get({ 'accept-encoding': 'gzip' }),
					async () => {
						renders += 1;
						return new Response(page(i), { status: 200 });
					},
					'x'
				);
		expect(renders).toBe(40);
		expect(cache.size).toBe(40);
		expect(cache.bytes).toBeLessThanOrEqual(100_000);
	});

	it('makes brotli copies one at a time and lets only a few wait', async () => {
		const cache = new PageCache(10_000_000, 1_000_000);
		const text = (i: number) => `Liste ${i} `.repeat(2000);
		const entries = [];
		for (let i = 0; i < 12; i++) entries.push(await cache.store(`k${i}`, headers(), html(text(i))));
		// Asked for a second time, all at once: four copies queued, the others left for later.
		await Promise.all(
			entries.map((_, i) => cache.answer(`k${i}`, get(), async () => new Response(''), 'x'))
		);
		expect(entries.filter((e) => e.brotli !== null)).toHaveLength(4);
		await Promise.all(entries.map((e) => e.brotli));
		// Once the queue has emptied, a later request starts the copy that was left.
		await cache.answer('k11', get(), async () => new Response(''), 'x');
		await entries[11]!.brotli;
		expect(brotliDecompressSync(entries[11]!.encoded.br!).toString()).toBe(text(11));
	});

	it('reads Accept-Encoding and If-None-Match as HTTP defines them', () => {
		const both = ['br', 'gzip'] as const;
		expect(preferredCoding(null, both)).toBeNull();
		expect(preferredCoding('br', ['gzip'])).toBeNull();
		expect(preferredCoding('GZIP', both)).toBe('gzip');
		expect(preferredCoding('gzip, br', both)).toBe('br');
		expect(preferredCoding('br;q=0.5, gzip', both)).toBe('gzip');
		expect(preferredCoding('*;q=0.5', both)).toBe('br');
		expect(preferredCoding('*, br;q=0', both)).toBe('gzip');
		expect(preferredCoding('gzip;q=0', both)).toBeNull();
		expect(preferredCoding('gzip;q=abc', both)).toBeNull();
		expect(matchesEtag('"a", "b"', '"b"')).toBe(true);
		expect(matchesEtag('W/"b"', '"b"')).toBe(true);
		expect(matchesEtag('"b"', 'W/"b"')).toBe(true);
		expect(matchesEtag('*', '"b"')).toBe(true);
		expect(matchesEtag(null, '"b"')).toBe(false);
	});

	it('sends a part of an answer that offers ranges: 206, 416 past the end, whole when If-Range differs', async () => {
		const cache = new PageCache(1_000_000, 100_000);
		const csv = `fiche,valeur\n${'9-1,12.5\n'.repeat(500)}`;
		const offered = new Headers({
			'content-type': 'text/csv',
			'accept-ranges': 'bytes',
			'last-modified': 'Sat, 05 Dec 2026 09:50:36 GMT'
		});
		const entry = await cache.store('csv', offered, html(csv));
		const gzip = { 'accept-encoding': 'gzip, br' };
		// Whole: compressed with the weak tag, or plain with the strong one (If-Range needs it).
		const whole = replay(entry, get(gzip), 'x');
		expect(whole.headers.get('content-encoding')).toBe('gzip');
		expect(whole.headers.get('accept-ranges')).toBe('bytes');
		const strong = replay(entry, get(), 'x').headers.get('etag')!;
		expect(strong).toBe(entry.etag.replace(/^W\//, ''));
		const part = replay(entry, get({ ...gzip, range: 'bytes=0-12' }), 'x');
		expect(part.status).toBe(206);
		expect(part.headers.get('content-encoding')).toBeNull();
		expect(part.headers.get('content-range')).toBe(`bytes 0-12/${csv.length}`);
		expect(part.headers.get('content-length')).toBe('13');
		expect(await part.text()).toBe('fiche,valeur\n');
		const resumed = replay(entry, get({ range: 'bytes=4000-', 'if-range': strong }), 'x');
		expect(resumed.status).toBe(206);
		expect(await resumed.text()).toBe(csv.slice(4000));
		const tail = replay(entry, get({ range: 'bytes=-9' }), 'x');
		expect(await tail.text()).toBe('9-1,12.5\n');
		const past = replay(entry, get({ range: `bytes=${csv.length}-` }), 'x');
		expect(past.status).toBe(416);
		expect(past.headers.get('content-range')).toBe(`bytes */${csv.length}`);
		const byDate = 'Sat, 05 Dec 2026 09:50:36 GMT';
		expect(replay(entry, get({ range: 'bytes=1-2', 'if-range': byDate }), 'x').status).toBe(206);
		for (const ifRange of ['"autre"', entry.etag, 'Sat, 05 Dec 2026 09:55:59 GMT']) {
			const changed = replay(entry, get({ range: 'bytes=0-12', 'if-range': ifRange }), 'x');
			expect(changed.status, ifRange).toBe(200);
			expect((await changed.text()).length).toBe(csv.length);
		}
		// Several ranges, or ranges on an answer that offers none: the whole answer.
		expect(replay(entry, get({ range: 'bytes=0-1,5-6' }), 'x').status).toBe(200);
		const page = await cache.store('page', headers(), html(csv));
		expect(replay(page, get({ range: 'bytes=0-12' }), 'x').status).toBe(200);
	});

	it('sends a part of an answer that offers ranges and is not replayed from the cache, as a kept one (left as noticed in session 41)', async () => {
		const csv = `fiche,valeur\n${'9-1,12.5\n'.repeat(500)}`;
		const rendered = () =>
			new Response(csv, {
				headers: {
					'content-type': 'text/csv',
					'accept-ranges': 'bytes',
					'last-modified': 'Sat, 05 Dec 2026 09:50:36 GMT',
					'set-cookie': 'session=renouvelee'
				}
			});
		const part = await rangedAnswer(get({ range: 'bytes=4000-' }), rendered(), 'private, no-store');
		expect(part.status).toBe(206);
		expect(part.headers.get('content-range')).toBe(`bytes 4000-${csv.length - 1}/${csv.length}`);
		expect(await part.text()).toBe(csv.slice(4000));
		// A session renewed by the request keeps its cookie; the answer is not stored.
		expect(part.headers.getSetCookie()).toEqual(['session=renouvelee']);
		expect(part.headers.get('cache-control')).toBe('private, no-store');
		const past = await rangedAnswer(get({ range: `bytes=${csv.length}-` }), rendered(), 'x');
		expect(past.status).toBe(416);
		const byDate = { range: 'bytes=0-12', 'if-range': 'Sat, 05 Dec 2026 09:55:59 GMT' };
		expect((await rangedAnswer(get(byDate), rendered(), 'x')).status).toBe(200);
		// Without Range, or on an answer that offers none: as rendered.
		const whole = rendered();
		expect(await rangedAnswer(get(), whole, 'x')).toBe(whole);
		const page = new Response(csv, { headers: { 'content-type': 'text/html' } });
		expect(await rangedAnswer(get({ range: 'bytes=0-12' }), page, 'x')).toBe(page);
	});
});

describe('session routes', () => {
	it('name only pages that exist', () => {
		for (const id of SESSION_ROUTES)
			expect(existsSync(routeFile(id, '+page.svelte')), id).toBe(true);
	});
});

describe('page cache answers', () => {
	const page = (text: string, init: ResponseInit = {}) =>
		new Response(text, { status: 200, headers: { 'content-type': 'text/html' }, ...init });

	it('renders once for requests that arrive together, then replays', async () => {
		const cache = new PageCache(1_000_000, 100_000);
		let renders = 0;
		const render = async () => {
			renders += 1;
			await new Promise((resolve) => setTimeout(resolve, 20));
			return page(`<p>rendu ${renders}</p>`);
		};
		const answers = await Promise.all(
			Array.from({ length: 5 }, () => cache.answer('k', get(), render, 'public, no-cache'))
		);
		expect(renders).toBe(1);
		for (const answer of answers) expect(await answer.text()).toBe('<p>rendu 1</p>');
		await cache.answer('k', get(), render, 'public, no-cache');
		expect(renders).toBe(1);
	});

	it('never keeps an error, a redirect or an answer that sets a cookie', async () => {
		const cache = new PageCache(1_000_000, 100_000);
		const notFound = () => Promise.resolve(page('introuvable', { status: 404 }));
		expect((await cache.answer('a', get(), notFound, 'x')).status).toBe(404);
		const withCookie = () =>
			Promise.resolve(page('ok', { headers: { 'set-cookie': 'session=1' } }));
		expect((await cache.answer('b', get(), withCookie, 'x')).headers.get('set-cookie')).toBe(
			'session=1'
		);
		expect(cache.size).toBe(0);
	});
});

function routeFile(id: string, file: string): URL {
	return new URL(`../../../routes${id}/${file}`, import.meta.url);
}
