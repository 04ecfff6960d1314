import { listAliasesByOrganisation } from '$lib/server/authoring/organisations-repository';
import { getDb } from '$lib/server/db/instance';
import { listOrganisations } from '$lib/server/plan/repository';
import type { PageServerLoad } from './$types';

// Nothing to interact with: rendered on the server only, no script sent (docs/performance.md).
export const csr = false;

export const load: PageServerLoad = async () => {
	const db = getDb();
	const aliases = await listAliasesByOrganisation(db);
	// A renamed or merged organisation is still found under its former names.
	return {
		organisations: (await listOrganisations(db)).map((o) => ({
			...o,
			aliases: aliases.get(o.id) ?? []
		}))
	};
};
