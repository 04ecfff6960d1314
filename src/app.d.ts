import type { Session } from '$lib/server/auth/sessions';
import type { User } from '$lib/server/auth/users';
import type { KeptHtml } from '$lib/server/render/kept-html';

// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Error {
			message: string;
			/** Shown on the error page, so a user can quote it; the server log carries it too. */
			requestId?: string;
			/** What the person typed in the form the error answers, to copy (nothing was saved). */
			kept?: string;
			/** What that text was (« Avis favorable »), said with it. */
			keptAs?: string;
			/** Where to go instead (« Les séances de la commission »), in place of the plan's links. */
			next?: { href: string; label: string };
			/**
			 * A form sent by script was refused for who is signed in (401, or 403 for another account):
			 * signing in, in another tab, then sending it again may let it through; its alert says so.
			 */
			signIn?: boolean;
			/**
			 * That 401 answered a session cookie no longer valid (locals.sessionEnded): the alert's link
			 * opens /connexion?session=finie, which says the session ended, as after a page's redirect.
			 */
			sessionEnded?: boolean;
			/**
			 * The status the answer carries when it is not the one SvelteKit renders the page with: 503
			 * for a request that failed on a database another process kept locked (busy-answer.ts,
			 * which changes the answer's status after the page is drawn); the heading follows it.
			 */
			status?: number;
		}
		interface Locals {
			user: User | null;
			session: Session | null;
			/**
			 * The session was renewed by this request: its answer carries the renewed cookie, so it is
			 * rendered, never replayed from the page cache (see hooks.server.ts).
			 */
			sessionRenewed?: boolean;
			/**
			 * The request carried a session cookie that is no longer valid (ended by a password reset,
			 * a sign-out elsewhere, or expired): requireUser says so on /connexion (`?session=finie`).
			 */
			sessionEnded?: boolean;
			/** This request's identifier in the server log (see hooks.server.ts). */
			requestId: string;
			/**
			 * HTML kept once per change that the page's `load` gave (inAnswer), written into the answer
			 * by keptHtmlInAnswers (src/lib/server/render/kept-html.ts).
			 */
			keptHtml?: KeptHtml[];
		}
	}
}

export {};
