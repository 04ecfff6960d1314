import type { Transport } from '@sveltejs/kit';
import { PreparedJson } from '$lib/utils/prepared-json';

/** Types page data may carry besides what SvelteKit's serialiser knows. */
export const transport: Transport = {
	PreparedJson: {
		encode: (value) => value instanceof PreparedJson && value.json,
		decode: (json: string) => new PreparedJson(JSON.parse(json))
	}
};
