import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import TokenPasswordForm from './TokenPasswordForm.svelte';

// A partner's-year review: the invitation and new-password pages showed each refusal beside its
// field only, with no summary at the top as /compte has (without script, the page opens there).
describe('the form of a link that sets a password', () => {
	const shown = (errors: Record<string, string>) =>
		render(TokenPasswordForm, {
			props: { email: 'lea@cdg46.fr', label: 'Mot de passe', errors }
		}).body;

	it('sums up its refused fields at the top, each linked to its field', () => {
		const body = shown({ password: 'Trop court.', confirm: 'Les deux ne sont pas identiques.' });
		const summary = /<div[^>]*data-error-summary[^>]*>([\s\S]*?)<\/div>/.exec(body)?.[1] ?? '';
		expect(summary).toContain('Le mot de passe n’a pas été enregistré');
		expect(summary).toMatch(/href="#password"[^>]*>Trop court\./);
		expect(summary).toMatch(/href="#confirm"[^>]*>Les deux ne sont pas identiques\./);
		expect(body.indexOf('data-error-summary')).toBeLessThan(body.indexOf('<form'));
	});

	it('shows no summary when nothing was refused', () => {
		expect(shown({})).not.toContain('data-error-summary');
	});
});
