import type { Db } from './index';
import { getDataRevision } from './revision';

/**
 * Keeps one computed value per revision of the published data: computed on the first request after
 * a change, then served as is (one small query per request to check the revision).
 */
export function cachedByRevision<T>(compute: (db: Db) => Promise<T>): (db: Db) => Promise<T> {
	let cached: { revision: number; value: Promise<T> } | undefined;
	return async (db) => {
		const revision = (await getDataRevision(db))?.revision ?? 0;
		if (!cached || cached.revision !== revision) {
			const value = compute(db);
			cached = { revision, value };
			value.catch(() => {
				if (cached?.value === value) cached = undefined;
			});
		}
		return cached.value;
	};
}
