import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import SupersededNotice from './SupersededNotice.svelte';
import { shownText } from '$lib/utils/html-testing';

/** The notice as read, for an update of 8 December 2026. */
function said(status: string | null, progress: string | null): string {
	const props = { superseded: { status, progress }, reportedOn: '2026-12-08' };
	return shownText(render(SupersededNotice, { props }).body);
}

describe('the review page’s notice of an update its fiche’s order places after this one', () => {
	it('says « plus récente » of a later day', () => {
		expect(said('2026-12-09', '2026-12-09')).toBe(
			'Une mise à jour plus récente de cette fiche, du 9 décembre 2026, fixe déjà son statut et son avancement : validée, celle-ci entre dans son historique à sa date (8 décembre 2026) sans les changer.'
		);
	});

	it('says « du même jour et enregistrée après celle-ci » of the same day, not « plus récente »', () => {
		expect(said(null, '2026-12-08')).toBe(
			'Une autre mise à jour de cette fiche, du même jour et enregistrée après celle-ci, fixe déjà son avancement : validée, celle-ci entre dans son historique à sa date (8 décembre 2026) sans le changer.'
		);
	});

	it('says nothing when nothing is superseded', () => {
		expect(said(null, null)).toBe('');
	});
});
