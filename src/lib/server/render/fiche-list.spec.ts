import { render } from 'svelte/server';
import type { Component } from 'svelte';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import FicheList from '$lib/components/FicheList.svelte';
import KeptHtml from '$lib/components/KeptHtml';
import type { Db } from '$lib/server/db';
import { createTestDb } from '$lib/server/db/testing';
import { listFiches, type FicheSummary } from '$lib/server/plan/repository';
import { ficheListHtml } from './fiche-list';

type ServerComponent = (renderer: unknown, props: Record<string, unknown>) => void;

/** A page holding `component` with `props`, as SvelteKit renders it (the whole body). */
function page(component: Component<never>, props: Record<string, unknown>): string {
	const Page = (renderer: unknown) => {
		(renderer as { push: (s: string) => void }).push('<main>');
		(component as unknown as ServerComponent)(renderer, props);
		(renderer as { push: (s: string) => void }).push('</main>');
	};
	return render(Page as unknown as Component).body;
}

const inPlace = (fiches: FicheSummary[]) => page(FicheList as Component<never>, { fiches });
const kept = (fiches: FicheSummary[]) =>
	page(KeptHtml as Component<never>, { of: FicheList, html: ficheListHtml(fiches) });

let db: Db;
let fiches: FicheSummary[];
beforeAll(async () => {
	db = await createTestDb();
	fiches = await listFiches(db);
});
afterAll(async () => {
	await db.destroy();
});

describe('ficheListHtml', () => {
	it('writes the list as FicheList rendered in place, whatever fiches it holds', () => {
		expect(fiches.length).toBeGreaterThan(20);
		for (const list of [fiches, fiches.slice(3, 9), fiches.filter((_, i) => i % 3 === 0)]) {
			expect(kept(list)).toContain(`href="/fiches/${list[0]!.code}"`);
			expect(kept(list)).toBe(inPlace(list));
		}
		expect(kept([fiches[5]!])).toBe(inPlace([fiches[5]!]));
		expect(kept([])).toBe(inPlace([]));
	});

	it('writes a fiche’s row again when what the row shows changes', () => {
		const [fiche] = fiches;
		const changed: FicheSummary[] = [
			{ ...fiche!, status: fiche!.status === 'realisee' ? 'en_cours' : 'realisee' },
			{ ...fiche!, priority: fiche!.priority === 1 ? 2 : 1 },
			{ ...fiche!, title: 'Un <b>titre</b> & son Wi-Fi' }
		];
		for (const other of changed) {
			expect(kept([other, ...fiches.slice(1)])).toBe(inPlace([other, ...fiches.slice(1)]));
			expect(kept([other])).not.toBe(kept([fiche!]));
		}
	});
});
