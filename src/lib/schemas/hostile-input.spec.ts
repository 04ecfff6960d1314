// What a visitor or a partner can send to a form is read in a time that grows with its length.
// Regular expressions whose time grew with its square held the whole server (one request: a
// 500 KB address took 124 s to refuse). The lint rule regexp/no-super-linear-* (eslint.config.js)
// keeps such patterns out; these tests send the inputs that found them.
//
// Not a measure of speed (npm run bench does those): each bound is hundreds of times above what the
// reading takes now, and far below what the quadratic patterns took on the same input.
import { describe, expect, it } from 'vitest';
import { cellToRichText } from '../utils/rich-text';
import { progressFormData } from '../server/progress/testing';
import { markupToRichText } from '../utils/rich-text-markup';
import { LoginSchema, PasswordResetRequestSchema } from './auth';
import { reminderDaysProblem } from './campaign';
import { parseProgressForm } from './progress-update';

function timed<T>(read: () => T): { value: T; ms: number } {
	const started = performance.now();
	const value = read();
	return { value, ms: performance.now() - started };
}

describe('hostile input', () => {
	it('refuses an address of 80 KB made of dots at once, signed in or not', () => {
		const address = `a@${'x.'.repeat(40_000)},`;
		for (const schema of [LoginSchema, PasswordResetRequestSchema]) {
			const { value, ms } = timed(() => schema.safeParse({ email: address, password: 'x' }));
			expect(value.success).toBe(false);
			expect(ms).toBeLessThan(1_000);
		}
	});

	it('reads the addresses it read before, and refuses empty labels in the domain', () => {
		const valid = (email: string) => LoginSchema.safeParse({ email, password: 'x' }).success;
		for (const email of ['prenom.nom@exemple.fr', 'a@b.c', 'claire@sous.domaine.lot-numerique.fr'])
			expect(valid(email), email).toBe(true);
		for (const email of [
			'a@fr',
			'a@x..fr',
			'a@.x.fr',
			'a@x.fr.',
			'a@b@c.fr',
			'a,b@x.fr',
			'a b@x.fr'
		])
			expect(valid(email), email).toBe(false);
	});

	it('reads a progress of 60,000 spaces between two digits at once', () => {
		const typed = `1${' '.repeat(60_000)}1`;
		const { value, ms } = timed(() =>
			parseProgressForm(progressFormData({ progress: typed }), [], '2026-03-01')
		);
		expect(value.errors.progress).toBe(
			'L’avancement est un nombre entier de 0 à 100 (exemple : 40).'
		);
		expect(ms).toBeLessThan(1_000);
		// The sign and the spaces before it, plain or no-break, still left out.
		for (const progress of ['40 %', '40\u00a0%', '40\u202f %', '40%'])
			expect(
				parseProgressForm(progressFormData({ progress }), [], '2026-03-01').input?.progress,
				progress
			).toBe(40);
	});

	it('reads campaign reminders of 60,000 digits at once', () => {
		const { value, ms } = timed(() => reminderDaysProblem('1'.repeat(60_000)));
		expect(value).toMatch(/^Indiquez les rappels/);
		expect(ms).toBeLessThan(1_000);
		expect(reminderDaysProblem('-14, 1,5')).toMatch(/^« 1,5 » se lit comme un nombre décimal/);
	});

	it('reads plan texts with long runs of spaces at once, in the forms and in the workbook', () => {
		const line = `- ${' '.repeat(50_000)}a\u2028b`;
		const { ms } = timed(() => markupToRichText(line));
		expect(ms).toBeLessThan(1_000);
		expect(markupToRichText('-   une action')).toEqual(markupToRichText('- une action'));
		const cell = `a${' '.repeat(50_000)}\u0085`;
		expect(timed(() => cellToRichText(cell)).ms).toBeLessThan(1_000);
	});
});
