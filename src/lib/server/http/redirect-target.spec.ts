import { describe, expect, it } from 'vitest';
import { PAGE_ROUTES, redirectTarget } from './redirect-target';

const ORIGIN = 'https://sdusn.lot-numerique.fr';

/** Each spelling a browser (or a careless check) could read as another site, or as no page. */
const HOSTILE = [
	'//evil.example',
	'/\\evil.example',
	'\\\\evil.example',
	'/\t/evil.example',
	'/\n/evil.example',
	'/\r\n/evil.example',
	'\t//evil.example',
	' //evil.example',
	'/\u0000/evil.example',
	'/%2F/evil.example',
	'/%2f%2fevil.example',
	'/%5Cevil.example',
	'/\\/evil.example',
	'/\uFF0Fevil.example',
	'/\uFF3Cevil.example',
	'/\u3002evil.example',
	'https://evil.example/',
	'http:evil.example',
	'https:/evil.example',
	'javascript:alert(1)',
	'JaVaScRiPt:alert(1)',
	'data:text/html,<script>alert(1)</script>',
	'evil.example',
	'fiches',
	'./fiches',
	'',
	'/@evil.example',
	'/fiches@evil.example',
	'/..//evil.example',
	'/./\\evil.example',
	'/%09/evil.example',
	'/fiches\r\nSet-Cookie: x=1',
	'/connexion',
	'/deconnexion',
	'/invitation/abc.def',
	'/mot-de-passe-oublie',
	'/mot-de-passe-oublie/abc.def',
	'/desabonnement/abc.def',
	'/_app/immutable/x.js',
	'/n-existe-pas',
	'/%66iches',
	'/fiches/9-1/historique',
	'/é',
	'/\u2028',
	'/' + 'a'.repeat(3000)
];

describe('redirectTo', () => {
	it.each(HOSTILE)('refuses %j', (raw) => {
		expect(redirectTarget(raw, ORIGIN)).toBeNull();
	});

	it.each([
		['/fiches', '/fiches'],
		['/fiches?axe=1&q=num%C3%A9rique', '/fiches?axe=1&q=num%C3%A9rique'],
		['/fiches/9-1', '/fiches/9-1'],
		['/espace/fiches/9-1/suivi', '/espace/fiches/9-1/suivi'],
		['/admin/journal?action=login.failure', '/admin/journal?action=login.failure'],
		['/', '/'],
		['/fiches#haut', '/fiches'],
		// Line breaks and non-Latin-1 characters come back encoded: always a valid header.
		['/fiches?q=a\r\nb', '/fiches?q=ab'],
		['/fiches?q=numérique ✓', '/fiches?q=num%C3%A9rique%20%E2%9C%93'],
		['/fiches/\u2603', '/fiches/%E2%98%83']
	])('keeps %j as %j', (raw, expected) => {
		expect(redirectTarget(raw, ORIGIN)).toBe(expected);
	});

	it('knows the portal’s pages, never the ways in and out', () => {
		expect(PAGE_ROUTES).toContain('/fiches/[code=fiche]');
		expect(PAGE_ROUTES).toContain('/admin/journal');
		expect(PAGE_ROUTES).not.toContain('/connexion');
		expect(PAGE_ROUTES).not.toContain('/invitation/[token]');
		expect(PAGE_ROUTES).not.toContain('/mot-de-passe-oublie/[token]');
		expect(PAGE_ROUTES).not.toContain('/desabonnement/[token]');
	});

	it('never returns anything a browser could read as another site or a broken header', () => {
		const characters = [
			'/',
			'\\',
			'\t',
			'\n',
			'\r',
			' ',
			'%',
			'2',
			'F',
			'5',
			'C',
			'.',
			'@',
			':',
			'?',
			'#',
			'é',
			'／',
			'a'
		];
		let checked = 0;
		const build = (prefix: string, depth: number): void => {
			if (depth === 0) {
				const target = redirectTarget(`/${prefix}`, ORIGIN);
				if (target !== null) {
					checked++;
					expect(target).toMatch(/^\/(?![/\\])[\x21-\x7e]*$/);
					expect(new URL(target, ORIGIN).origin).toBe(ORIGIN);
				}
				return;
			}
			for (const c of characters) build(prefix + c, depth - 1);
		};
		build('', 3);
		expect(checked).toBeGreaterThan(0);
	});
});
