import { describe, expect, it } from 'vitest';
import { flattenRichText, isRichText } from '../../utils/rich-text';
import { compareFicheCodes, FICHE_CODE_PATTERN } from '../../utils/text';
import { checkSeedData } from './index';
import { PLAN_DATA } from './plan-data';

const { structure, organisations, fiches, history } = PLAN_DATA;
const byCode = new Map(fiches.map((f) => [f.code, f]));

function allTexts(): string[] {
	const texts: string[] = [];
	for (const f of fiches) {
		texts.push(f.title, f.short_title ?? '', f.owners_note ?? '');
		for (const rich of [f.context, f.existing, f.description, f.success_factors])
			texts.push(flattenRichText(rich));
		for (const i of f.indicators) texts.push(typeof i === 'string' ? i : i.label);
		for (const o of f.owners) texts.push(o.scope ?? '', o.note ?? '');
	}
	for (const o of structure.objectives) texts.push(o.label, o.synthesis_label ?? '');
	for (const o of structure.orientations) texts.push(o.label);
	for (const a of structure.axes) texts.push(a.label, a.short_name);
	for (const o of organisations) texts.push(o.name, o.full_name ?? '');
	for (const e of history.plan_events) texts.push(e.title, e.body, e.source);
	for (const u of history.progress_updates) texts.push(u.done, u.next_steps ?? '', u.source);
	return texts.filter(Boolean);
}

describe('the plan as encoded', () => {
	it('has 3 axes, 6 orientations, 17 objectives and 23 fiches, 13 of priority 1', () => {
		expect(structure.axes).toHaveLength(3);
		expect(structure.orientations).toHaveLength(6);
		expect(structure.objectives.map((o) => o.number)).toEqual(
			Array.from({ length: 17 }, (_, i) => i + 1)
		);
		expect(fiches).toHaveLength(23);
		expect(fiches.filter((f) => f.priority === 1).map((f) => f.code)).toEqual([
			'1-1',
			'1-2',
			'2-1',
			'3-1',
			'6-1',
			'7-1',
			'9-1',
			'10-1',
			'10-2',
			'13-1',
			'14-1',
			'17-1',
			'17-2'
		]);
	});

	it('names the three axes by their short and full names', () => {
		expect(structure.axes.map((a) => [a.code, a.short_name, a.label])).toEqual([
			['performance', 'performance', 'Transformation vers l’e-administration'],
			['solidarite', 'solidarité', 'Accompagnement du territoire dans la transition numérique'],
			['modernite', 'modernité', 'Développement de l’innovation']
		]);
	});

	it('codes every fiche N-M after an existing objective, in plan order, every objective used', () => {
		const codes = fiches.map((f) => f.code);
		expect(codes.every((c) => FICHE_CODE_PATTERN.test(c))).toBe(true);
		expect([...codes].sort(compareFicheCodes)).toEqual(codes);
		const objectives = new Set(codes.map((c) => Number(c.split('-')[0])));
		expect([...objectives]).toEqual(structure.objectives.map((o) => o.number));
		expect(codes).toContain('17-3');
		expect(codes.filter((c) => c.startsWith('7-'))).toEqual(['7-1', '7-2', '7-3']);
	});

	it('passes the loader’s own consistency check', () => {
		expect(() => checkSeedData(PLAN_DATA)).not.toThrow();
	});

	it('links only to existing fiches, never to itself', () => {
		for (const f of fiches) {
			for (const code of f.linked) {
				expect(byCode.has(code), `${f.code} → ${code}`).toBe(true);
				expect(code).not.toBe(f.code);
			}
			expect(new Set(f.linked).size).toBe(f.linked.length);
		}
	});

	it('states these links on one side only, as docs/data-notes.md lists', () => {
		const oneSided: string[] = [];
		for (const f of fiches)
			for (const code of f.linked)
				if (!byCode.get(code)!.linked.includes(f.code)) oneSided.push(`${f.code} → ${code}`);
		expect(oneSided).toEqual([
			'2-1 → 5-1',
			'2-1 → 16-1',
			'5-1 → 1-1',
			'7-1 → 17-1',
			'10-1 → 8-1',
			'10-2 → 8-1',
			'17-1 → 2-1',
			'17-3 → 7-1'
		]);
	});

	it('resolves the illegible linked codes as recorded', () => {
		expect(byCode.get('1-1')!.linked).toEqual(['2-1', '7-2', '10-2']);
		expect(byCode.get('5-1')!.linked).toEqual(['1-1', '1-2', '3-1', '7-2', '9-1', '10-2']);
		expect(byCode.get('8-1')!.linked).toEqual(['1-2', '9-1', '13-1', '17-2']);
		expect(byCode.get('11-1')!.linked).toEqual(['2-1', '7-1', '10-2']);
		expect(byCode.get('14-1')!.linked).toEqual([]);
	});

	it('gives every fiche a context, a description, success factors and indicators', () => {
		for (const f of fiches) {
			for (const rich of [f.context, f.existing, f.description, f.success_factors])
				expect(isRichText(rich), f.code).toBe(true);
			expect(f.context.length, f.code).toBeGreaterThan(0);
			expect(f.description.length, f.code).toBeGreaterThan(0);
			expect(f.success_factors.length, f.code).toBeGreaterThan(0);
			expect(f.indicators.length, f.code).toBeGreaterThan(0);
			expect(f.owners.length > 0 || f.owners_note === 'À déterminer', f.code).toBe(true);
		}
		expect(fiches.reduce((n, f) => n + f.indicators.length, 0)).toBe(30);
	});

	it('keeps numbered steps and bullets as structure', () => {
		const description = byCode.get('10-1')!.description;
		expect(description).toHaveLength(1);
		const steps = (description[0] as { ol: { text: string; ul: unknown[] }[] }).ol;
		expect(steps.map((s) => s.text)).toEqual([
			'Redéfinition du rôle des acteurs de la médiation numérique et communication pour valoriser leur rôle',
			'Animation renforcée du réseau des EPM'
		]);
		expect(steps[0]!.ul).toHaveLength(3);
	});

	it('records the portage scopes', () => {
		expect(byCode.get('5-1')!.owners).toEqual([
			{ org: 'lot-numerique', scope: 'Sensibilisation' },
			{ org: 'cdg46', scope: 'Animation' }
		]);
		expect(byCode.get('11-1')!.owners.map((o) => `${o.scope}:${o.org}`)).toEqual([
			'1:pole-emploi',
			'2:lot-numerique',
			'2:organismes-de-formation',
			'3:region-occitanie',
			'3:ecole-regionale-du-numerique',
			'3:lot-numerique'
		]);
		expect(byCode.get('17-1')!.owners).toEqual([]);
	});

	it('has one record per organisation and uses every one', () => {
		const names = organisations.map((o) => o.name.toLowerCase());
		expect(new Set(names).size).toBe(names.length);
		const used = new Set<string>();
		for (const f of fiches) {
			for (const o of f.owners) used.add(o.org);
			for (const p of f.partners) used.add(typeof p === 'string' ? p : p.org);
		}
		expect(organisations.filter((o) => !used.has(o.slug)).map((o) => o.slug)).toEqual([]);
		expect(organisations.every((o) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(o.slug))).toBe(true);
	});

	it('holds clean text, free of the scan’s noise', () => {
		const noise = [
			/numeéri/i,
			/ceuvre/,
			/smatrt/i,
			/\bI'/,
			/'/, // straight apostrophes: typographic ones only
			/ {2}/,
			/\s[,.]/,
			/[¢•]/, // OCR bullets
			/\bEtat\b/,
			/\bEcole\b/,
			/\bEquipement\b/,
			/lige\s*:/,
			/télés ervices|num érique|d e collaboration/,
			/\b[a-zé]+- [a-zé]+/ // word broken by a hyphen at a line end
		];
		for (const text of allTexts()) {
			for (const pattern of noise) expect(text, `${pattern} in « ${text} »`).not.toMatch(pattern);
			expect(text.split('«').length, `unbalanced quotes in « ${text} »`).toBe(
				text.split('»').length
			);
		}
	});

	it('records only the two actions engaged in 2018 as in progress', () => {
		const started = history.progress_updates
			.filter((u) => u.status === 'en_cours')
			.map((u) => u.fiche);
		expect(started.sort()).toEqual(['13-1', '14-1']);
		expect(history.progress_updates.every((u) => /^CS2019\/\d\d|Délibération/.test(u.source))).toBe(
			true
		);
	});
});
