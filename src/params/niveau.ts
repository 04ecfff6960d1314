import type { ParamMatcher } from '@sveltejs/kit';

/** A level of the plan's structure in an admin address: `/admin/plan/axes/3`. */
export const match = ((param) =>
	param === 'axes' || param === 'orientations' || param === 'objectifs') satisfies ParamMatcher;
