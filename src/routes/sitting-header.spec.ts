import { describe, expect, it } from 'vitest';
import { findSitting } from '$lib/server/commission/repository';
import { sittingHeader } from '$lib/server/commission/sitting-header';
import { heldSitting } from '$lib/server/commission/testing';
import { load as closingLoad } from './commission/seances/[id=id]/cloture/+page.server';
import { load as fileLoad } from './commission/seances/[id=id]/fiches/[code=fiche]/+page.server';
import { adminDatabase, idRoute, routeEvent } from './route-testing';

// The séance's short header (number, day, hour, title, place) above the closing page and above
// the file of a fiche: one reading of the séance, sittingHeader's, each page adding its own.

const portal = adminDatabase();

describe('the séance’s header', () => {
	it('is sittingHeader’s on the closing page and on a fiche’s file', async () => {
		const { sittingId } = await heldSitting(portal.db, portal.admin, {
			startsAt: '14:30',
			title: 'Commission de printemps',
			place: 'Figeac'
		});
		const header = sittingHeader((await findSitting(portal.db, sittingId))!);
		expect(header).toEqual({
			id: sittingId,
			heldOn: '2026-05-01',
			startsAt: '14:30',
			title: 'Commission de printemps',
			place: 'Figeac'
		});
		const closing = idRoute('/commission/seances/[id=id]/cloture', sittingId);
		const closingPage = (await closingLoad(
			routeEvent(closing.path, closing.route, closing.params, portal.admin)
		)) as { sitting: unknown };
		expect(closingPage.sitting).toEqual({ ...header, attendees: 0 });
		const id = String(sittingId);
		const filePage = (await fileLoad(
			routeEvent(
				`/commission/seances/${id}/fiches/4-1`,
				'/commission/seances/[id=id]/fiches/[code=fiche]',
				{ id, code: '4-1' },
				portal.admin
			)
		)) as { sitting: unknown };
		expect(filePage.sitting).toEqual({ ...header, readable: true });
	});
});
