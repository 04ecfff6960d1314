// Reads back, from a PDF printed by Chromium, on which page each named destination lands: the
// report's table of contents gets its page numbers from a first printing (no PDF library needed,
// Chromium writes its page tree and destinations as plain objects).

/** The dictionaries of a PDF's plain objects (streams left out), by object number. */
function plainObjects(pdf: string): Map<number, string> {
	const objects = new Map<number, string>();
	for (const start of pdf.matchAll(/(?:^|[\r\n])(\d+) 0 obj\b/g)) {
		const from = (start.index ?? 0) + start[0].length;
		const end = pdf.indexOf('endobj', from);
		if (end < 0) continue;
		const body = pdf.slice(from, end);
		const stream = body.indexOf('stream');
		objects.set(Number(start[1]), stream < 0 ? body : body.slice(0, stream));
	}
	return objects;
}

const reference = (body: string | undefined, key: string): number | undefined => {
	const match = body && new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(body);
	return match ? Number(match[1]) : undefined;
};

/** Page object numbers in reading order, walking the page tree from the catalog. */
function pageOrder(objects: Map<number, string>): number[] {
	const catalog = [...objects.values()].find((body) => /\/Type\s*\/Catalog\b/.test(body));
	const pages: number[] = [];
	const walk = (id: number | undefined, depth: number) => {
		const body = id === undefined ? undefined : objects.get(id);
		if (!body || depth > 32) return;
		if (/\/Type\s*\/Pages\b/.test(body)) {
			const kids = /\/Kids\s*\[([^\]]*)\]/.exec(body)?.[1] ?? '';
			for (const kid of kids.matchAll(/(\d+) 0 R/g)) walk(Number(kid[1]), depth + 1);
		} else if (id !== undefined) pages.push(id);
	};
	walk(reference(catalog, 'Pages'), 0);
	return pages;
}

/** Named destination → page number (from 1), for the destinations the PDF's catalog lists. */
export function destinationPages(pdf: Buffer): Map<string, number> {
	const objects = plainObjects(pdf.toString('latin1'));
	const order = pageOrder(objects);
	const catalog = [...objects.values()].find((body) => /\/Type\s*\/Catalog\b/.test(body));
	const destsId = reference(catalog, 'Dests');
	const dests = destsId === undefined ? '' : (objects.get(destsId) ?? '');
	const pages = new Map<string, number>();
	for (const match of dests.matchAll(/\/([^\s/[<>()]+)\s*\[\s*(\d+) 0 R/g)) {
		const name = (match[1] as string).replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) =>
			String.fromCharCode(parseInt(hex, 16))
		);
		const index = order.indexOf(Number(match[2]));
		if (index >= 0) pages.set(name, index + 1);
	}
	return pages;
}
