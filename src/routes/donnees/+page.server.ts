import { getDb } from '$lib/server/db/instance';
import { LICENCE, resourceTitle, TABLES } from '$lib/server/opendata/resources';
import { readLiveOpenData } from '$lib/server/opendata/published';
import type { PageServerLoad } from './$types';

export const csr = false;

export const load: PageServerLoad = async () => {
	const files = await readLiveOpenData(getDb(), (set) => set.all());
	return {
		licence: LICENCE,
		tables: Object.entries(TABLES).map(([name, table]) => ({
			files: name === 'mesures' ? 'mesures.csv, mesures-AAAA.csv' : `${name}.csv`,
			fields: table.fields.map((f) => ({
				name: f.name,
				description: f.description,
				free: 'free' in f && f.free === true
			}))
		})),
		files: files.map((f) => ({
			name: f.name,
			path: f.path,
			title: resourceTitle(f.name),
			bytes: f.body.byteLength,
			count: f.count,
			lastChange: f.lastChange
		}))
	};
};
