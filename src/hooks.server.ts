import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { parisToday } from '$lib/utils/dates';
import { plural } from '$lib/utils/format';
import { refusedPage } from '$lib/utils/refused-title';
import { sequence } from '@sveltejs/kit/hooks';
import {
	deleteSessionCookie,
	sessionCookieName,
	setSessionCookie,
	validateSessionToken
} from '$lib/server/auth/sessions';
import { schedulePruning } from '$lib/server/auth/cleanup';
import { readConfig } from '$lib/server/config.js';
import { startMail } from '$lib/server/mail/scheduler';
import { scheduleBackups } from '$lib/server/db/backup-schedule';
import { cacheStamps } from '$lib/server/db/change-stamp';
import {
	DATABASE_BUSY_MESSAGE,
	DISK_FULL_MESSAGE,
	isBusy,
	isDiskFull,
	noteDiskFull
} from '$lib/server/db/dialect';
import { closeDatabase, getDb, initDatabase } from '$lib/server/db/instance';
import { watchFreeSpace } from '$lib/server/health';
import { logRequests, requestIdOf, requestsEnded } from '$lib/server/http/request-log';
import { log } from '$lib/server/log.js';
import {
	canonicalPaths,
	canonicalSearch,
	readableForms,
	requireClientAddress,
	sameOriginForms,
	securityHeaders,
	sveltekitErrorMessage
} from '$lib/server/http/hardening';
import { PageCache, rangedAnswer } from '$lib/server/http/page-cache';
import { openDataAddresses } from '$lib/server/opendata/http';
import { keptHtmlInAnswers } from '$lib/server/render/kept-html';
import { portalErrorPage } from '$lib/server/http/error-page';
import { busyAnswers, noteBusyRequest } from '$lib/server/http/busy-answer';
import { can } from '$lib/server/auth/permissions';
import { PRIVATE_CACHE_CONTROL, SESSION_ROUTES } from '$lib/server/http/cacheable-routes';
import { CACHED_ROUTES } from '$lib/utils/public-routes';

/** Emitted by scripts/start.js once its HTTP server has stopped (SIGTERM), before it exits. */
const SHUTDOWN_EVENT = 'sdusn:shutdown';

export const init: ServerInit = async () => {
	const config = readConfig();
	// An upgrade says in the log what it changed in the database.
	const db = await initDatabase(config.databasePath, config.planFile, (names) => {
		if (names.length > 0)
			log().info(
				{ event: 'migrations', migrations: names },
				`${names.length} ${plural(names.length, 'migration de la base appliquée', 'migrations de la base appliquées')}`
			);
	});
	watchFreeSpace(config.databasePath, config.minFreeDiskBytes);
	const pruning = schedulePruning(db, config.auditRetentionDays);
	const stopBackups = config.backups
		? scheduleBackups(config.databasePath, config.backups)
		: () => undefined;
	const mail = await startMail(db, config);
	process.once(SHUTDOWN_EVENT, (waits: Promise<unknown>[] = []) => {
		clearInterval(pruning);
		stopBackups();
		waits.push(
			Promise.allSettled([mail.stop(), requestsEnded()]).finally(() => {
				closeDatabase();
				log().info({ event: 'database-closed' }, 'Base de données fermée');
			})
		);
	});
};

// Reads the session cookie and sets locals; never redirects (guards in loads and actions do).
const authenticate: Handle = async ({ event, resolve }) => {
	const secure = event.url.protocol === 'https:';
	const token = event.cookies.get(sessionCookieName(secure));
	event.locals.user = null;
	event.locals.session = null;
	if (token) {
		// A form's account is checked once its whole body has come: checked before, a request
		// whose body is held back acted, up to the 30 s a body may take, for an account disabled,
		// demoted or signed out meanwhile. The copy read here is what the action reads (a tee);
		// a body refused for its size is refused where the action reads it.
		const { method, body } = event.request;
		if (method !== 'GET' && method !== 'HEAD' && body !== null)
			await event.request
				.clone()
				.arrayBuffer()
				.catch(() => undefined);
		const result = await validateSessionToken(getDb(), token);
		if (result.session) {
			event.locals.user = result.user;
			event.locals.session = result.session;
			if (result.renewed) {
				setSessionCookie(event.cookies, token, result.session.expiresAt, secure);
				// The answer must carry the renewed cookie, which SvelteKit writes in `resolve` only: it
				// is rendered, never replayed from the page cache (a replayed /espace dropped it, and the
				// browser let the cookie expire at its old date while the database, renewed for 30
				// days, renewed it no more).
				event.locals.sessionRenewed = true;
			}
		} else {
			// A reset deletes the session's row: an ended session and an unknown cookie look alike,
			// and the sign-in page says only that a session ended, nothing of the account.
			deleteSessionCookie(event.cookies, secure);
			event.locals.sessionEnded = true;
		}
	}
	return resolve(event);
};

// Public answers may be stored by browsers but must be revalidated (cheap: ETag and 304).
const PUBLIC_CACHE_CONTROL = 'public, no-cache';
const MB = 1024 * 1024;
// Answers under their plain address: 48 MB, one up to 16 MB (the ten-years mesures.csv, the whole
// history in one file, must be kept to be sent compressed and with validators; its measured size
// is in docs/performance.md).
const pageCache = new PageCache(48 * MB, 16 * MB);
// Addresses with a query string (filters, versions, SvelteKit's data requests) have a budget of
// their own: addresses made up by the thousand (?x=1, ?x=2…) push out one another, never the pages
// everyone reads; and an answer over 2 MB is not kept, so not compressed, under such an address.
// Their brotli copies are made at the fast quality (many answers, each asked for by few). A kept
// answer holds its compressed copies only (the plain body is inflated for the rare client that
// accepts neither): with the plain body too, the bench's rotation of filters overflowed this
// budget and pushed out, in rotation, exactly the next one asked for (docs/performance.md,
// « Filters »).
const variantCache = new PageCache(8 * MB, 2 * MB, 'fast');
// For the benchmark and tests only (`npm run bench`, scenario « cold »): every request rendered from
// the database, as the first visitor after a change, a filter or a crawler gets it.
const PAGE_CACHE_OFF = process.env.SDUSN_PAGE_CACHE === 'off';

/**
 * Today in Paris, worked out at most once a second: the day is part of every cache key, and
 * formatting the date with Intl on every request showed in the profile of cached pages. At
 * midnight, pages keep yesterday's key for up to a second.
 */
let parisDay = { value: '', until: 0 };
function today(): string {
	const now = Date.now();
	if (now >= parisDay.until) parisDay = { value: parisToday(new Date(now)), until: now + 1000 };
	return parisDay.value;
}

/**
 * GET requests to cacheable routes are rendered once per revision of what they show and per day, then
 * replayed from memory (brotli or gzip when accepted, 304 when the browser holds the ETag):
 * anonymous requests to public routes share one answer; signed-in requests to session routes get
 * their own.
 */
const cacheAnswers: Handle = async ({ event, resolve }) => {
	const route = event.route.id;
	const method = event.request.method;
	if ((method !== 'GET' && method !== 'HEAD') || !route) return resolve(event);
	const secure = event.url.protocol === 'https:';
	const shared = !event.cookies.get(sessionCookieName(secure)) && CACHED_ROUTES.has(route);
	// Not replayed from the cache: a range of an open-data file is still honoured (rangedAnswer).
	if (PAGE_CACHE_OFF)
		return rangedAnswer(
			event.request,
			await resolve(event),
			shared ? PUBLIC_CACHE_CONTROL : PRIVATE_CACHE_CONTROL
		);
	let scope: string;
	let cacheControl: string;
	let stamp: string;
	if (shared) {
		scope = 'public';
		cacheControl = PUBLIC_CACHE_CONTROL;
		stamp = (await cacheStamps(getDb())).published;
	} else if (event.locals.session && SESSION_ROUTES.has(route) && !event.locals.sessionRenewed) {
		scope = `session:${event.locals.session.id}`;
		cacheControl = PRIVATE_CACHE_CONTROL;
		stamp = (await cacheStamps(getDb())).workspace;
	} else {
		return rangedAnswer(event.request, await resolve(event), PRIVATE_CACHE_CONTROL);
	}
	// The raw URL: it tells a page from its __data.json and keeps every query parameter.
	const requested = new URL(event.request.url);
	const day = today();
	// Paths reach here canonical (canonicalPaths); the query is keyed as the page reads it.
	const search = canonicalSearch(requested.search);
	const key = `${scope}|${stamp}|${day}|${requested.pathname}${search}`;
	const cache = search ? variantCache : pageCache;
	const render = async () => resolve(event);
	return cache.answer(key, event.request, render, cacheControl);
};

/**
 * A form sent without script and refused (the page drawn again with the action's 4xx answer): its
 * title says so first (refusedPage). Such answers are rare and one page long; the rest pass as they are.
 */
const refusedTitles: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (
		event.request.method !== 'POST' ||
		response.status < 400 ||
		response.status >= 500 ||
		!response.headers.get('Content-Type')?.startsWith('text/html')
	)
		return response;
	const headers = new Headers(response.headers);
	headers.delete('Content-Length');
	return new Response(refusedPage(await response.text()), {
		status: response.status,
		statusText: response.statusText,
		headers
	});
};

/**
 * An error SvelteKit answers with its fallback page (src/error.html), not +error.svelte: a file
 * under /admin (a campaign's suivi.csv) or a séance's relevé refused to a partner. It is worded as
 * every page's refusal (portalErrorPage): « Accès refusé », « Retour à l’accueil », « Mon espace ».
 */
const fallbackErrorPages: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (
		response.status < 400 ||
		!response.headers.get('Content-Type')?.startsWith('text/html') ||
		response.headers.has('Content-Encoding')
	)
		return response;
	const headers = new Headers(response.headers);
	headers.delete('Content-Length');
	const espace = can(event.locals.user, 'espace.enter');
	return new Response(portalErrorPage(await response.text(), response.status, espace), {
		status: response.status,
		statusText: response.statusText,
		headers
	});
};

export const handle = sequence(
	logRequests,
	securityHeaders,
	sameOriginForms,
	canonicalPaths,
	requireClientAddress,
	readableForms,
	openDataAddresses,
	authenticate,
	fallbackErrorPages,
	busyAnswers,
	refusedTitles,
	cacheAnswers,
	keptHtmlInAnswers
);

// Unexpected errors: logged on the server (message and stack only, with the request id), never
// shown to the visitor, who sees the request id to quote it. SvelteKit's own refusals (a malformed
// address, a form sent as JSON…) reach here too, in English: the visitor reads them in French.
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const requestId = requestIdOf(event);
	// Another process (a backup, an import, a command) kept the write lock past the patience of
	// db/dialect.ts: nothing was written; the visitor can try again in a moment.
	if (isBusy(error)) {
		noteBusyRequest(event);
		log().warn(
			{ event: 'database-busy', requestId, route: event.route.id },
			'Base de données occupée par un autre processus : requête abandonnée'
		);
		return { requestId, message: DATABASE_BUSY_MESSAGE, status: 503 };
	}
	// The disk is full: one line without a stack (a stack per request flooded the log), /sante
	// reports it, and the visitor reads that nothing was saved.
	if (isDiskFull(error)) {
		noteDiskFull();
		log().error(
			{ event: 'disk-full', requestId, route: event.route.id },
			'Espace disque plein : écriture refusée, rien n’a été enregistré'
		);
		return { requestId, message: DISK_FULL_MESSAGE };
	}
	if (status >= 500)
		log().error(
			{
				event: 'error',
				requestId,
				route: event.route.id,
				err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error)
			},
			'Erreur inattendue'
		);
	return {
		requestId,
		message: sveltekitErrorMessage(status, message)
	};
};
