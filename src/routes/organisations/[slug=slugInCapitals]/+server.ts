import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

// An organisation's address typed as its name is shown (`/organisations/CDG46`): the address in
// lower case, permanently (308), with the query kept; an unknown name then answers its 404 there.
export const GET: RequestHandler = ({ params, url }) => {
	redirect(308, `/organisations/${params.slug.toLowerCase()}${url.search}`);
};
