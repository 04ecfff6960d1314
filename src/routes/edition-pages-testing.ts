import { render } from 'svelte/server';
import EditionPage from './bilans/[year=annee]/+page.svelte';
import * as edition from './bilans/[year=annee]/+page.server';
import PrintPage from './bilans/[year=annee]/impression/+page.svelte';
import * as print from './bilans/[year=annee]/impression/+page.server';
import FichePage from './bilans/[year=annee]/fiches/[code=fiche]/+page.svelte';
import * as fiche from './bilans/[year=annee]/fiches/[code=fiche]/+page.server';
import { answerWithKeptHtml } from '$lib/server/render/kept-html';
import { routeEvent } from './route-testing';

const anonymous = { user: null, session: null } as never;

/** The 2018 bilan's pages a visitor reads: the edition, its print, and its fiche `code`. */
export function editionPages(code: string) {
	return [
		[EditionPage, edition.load, '/bilans/2018', '/bilans/[year=annee]', { year: '2018' }],
		[
			PrintPage,
			print.load,
			'/bilans/2018/impression',
			'/bilans/[year=annee]/impression',
			{ year: '2018' }
		],
		[
			FichePage,
			fiche.load,
			`/bilans/2018/fiches/${code}`,
			'/bilans/[year=annee]/fiches/[code=fiche]',
			{ year: '2018', code }
		]
	] as const;
}

/**
 * A page's HTML as an anonymous visitor receives it (its `load`, then the page rendered, and the
 * HTML kept once per change written in by the server's last hook's own answerWithKeptHtml).
 */
export async function visitorHtml(
	Page: never,
	load: (event: never) => unknown,
	path: string,
	route: string,
	params: Record<string, string>
): Promise<string> {
	const event = routeEvent(path, route, params, anonymous) as { locals: App.Locals };
	const data = await load(event as never);
	const page = new Response(render(Page, { props: { data } as never }).body);
	return (await answerWithKeptHtml(page, event.locals.keptHtml ?? [])).text();
}

/** A page's text as a reader reads it (tags and comments dropped, any spaces as one). */
export async function shown(...page: Parameters<typeof visitorHtml>): Promise<string> {
	return (await visitorHtml(...page))
		.replace(/<!--[^>]*-->/g, '')
		.replace(/<[^<>]*>/g, ' ')
		.replace(/\s+/g, ' ');
}
