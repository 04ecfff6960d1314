import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Field from './Field.svelte';

const html = (props: Record<string, unknown>) =>
	render(Field, { props: props as never }).body.replace(/<!--[^>]*-->/g, '');

describe('form field', () => {
	it('labels its input, named after its id, and keeps what was typed', () => {
		const body = html({ id: 'email', label: 'Adresse électronique', type: 'email', value: 'a@b' });
		expect(body).toMatch(/<label for="email">\s*Adresse électronique\s*<\/label>/);
		expect(body).toMatch(/<input[^>]* name="email"/);
		expect(body).toMatch(/<input[^>]* type="email"/);
		expect(body).toMatch(/<input[^>]* value="a@b"/);
		expect(body).not.toContain('aria-invalid');
		expect(body).not.toContain('field-error');
	});

	it('ties the message to the control when there is one', () => {
		const body = html({ id: 'year', label: 'Année', error: 'Année invalide.' });
		expect(body).toMatch(/<input[^>]* id="year"/);
		expect(body).toMatch(/<input[^>]* aria-invalid="true"/);
		expect(body).toMatch(/<input[^>]* aria-describedby="year-error"/);
		expect(body).toMatch(/<p id="year-error" class="field-error[^"]*">Année invalide\.<\/p>/);
	});

	it('is described by a text shown elsewhere, then by its message when there is one', () => {
		const described = { id: 'intro', label: 'Introduction', rows: 5, describedBy: 'saisie' };
		expect(html(described)).toMatch(/<textarea[^>]* aria-describedby="saisie"/);
		expect(html(described)).not.toContain('aria-invalid');
		expect(html({ ...described, error: 'Trop long.' })).toMatch(
			/<textarea[^>]* aria-invalid="true" aria-describedby="saisie intro-error"/
		);
	});

	it('writes the server’s message and the hint with French spacing, no line starting with « : »', () => {
		const body = html({
			id: 'held_on',
			label: 'Date',
			hint: 'le jour : jj/mm/aaaa',
			error: 'La séance du 3 mars : déjà tenue ; choisissez un autre jour.'
		});
		expect(body).toContain('(le jour\u00a0: jj/mm/aaaa)');
		expect(body).toContain(
			'La séance du 3\u00a0mars\u00a0: déjà tenue\u202f; choisissez un autre jour.'
		);
	});

	it('gives a textarea when asked for rows, with its hint and another name', () => {
		const body = html({
			id: 'text-4',
			name: 'text',
			label: 'Motif',
			hint: 'facultatif',
			rows: 3,
			value: 'Vu l’avis'
		});
		expect(body).toMatch(/<span class="hint[^"]*">\(facultatif\)<\/span>/);
		expect(body).toMatch(/<textarea name="text" rows="3" id="text-4"[^>]*>Vu l’avis<\/textarea>/);
		expect(body).not.toContain('<input');
	});
});
