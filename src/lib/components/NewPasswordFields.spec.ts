import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import NewPasswordFields from './NewPasswordFields.svelte';
import { PASSWORD_MIN_LENGTH } from '$lib/schemas/limits';
import { checkPasswordPolicy } from '$lib/server/auth/password';

describe('new password fields', () => {
	// Readback s47: the hint said « sans autre règle », though a common password and one made mostly
	// of the person's name or address are refused (README « Comptes, rôles et sécurité »).
	it('names, beside the length, the refusals a password may meet', () => {
		const { body } = render(NewPasswordFields, {
			props: { name: 'password', label: 'Mot de passe', errors: {} }
		});
		// Read with plain spaces: frenchSpacing puts no-break ones after « 12 » and before « ; ».
		const label = (/<label for="password">([\s\S]*?)<\/label>/.exec(body)?.[1] ?? '').replace(
			/[\u00a0\u202f]/g,
			' '
		);
		expect(label).toContain('12 caractères au moins');
		expect(label).toContain('aucune règle de composition');
		expect(label).toContain('très courant');
		expect(label).toContain('votre nom, de votre adresse électronique');
		expect(label).not.toContain('sans autre règle');
		// Issue #14: « 12 » was typed here beside the server's own constant. The hint and the
		// server's refusal say the one length.
		expect(label).toContain(`${PASSWORD_MIN_LENGTH} caractères au moins`);
		expect(checkPasswordPolicy('x'.repeat(PASSWORD_MIN_LENGTH - 1))).toBe(
			`Le mot de passe doit compter au moins ${PASSWORD_MIN_LENGTH} caractères.`
		);
	});
});
