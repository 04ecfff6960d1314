// Zip archives written by hand for the tests of the import's guard (zip-guard.ts): lying sizes,
// broken data, sheets of any size, without going through ExcelJS.
import { deflateRawSync } from 'node:zlib';

export interface ZipEntry {
	name: string;
	content: Buffer;
	/** The uncompressed size the headers declare, when it should lie. */
	declared?: number;
}

/** A zip archive of these entries, deflated (no CRC check is made by the guard: CRC left 0). */
export function zip(entries: ZipEntry[]): Uint8Array {
	const locals: Buffer[] = [];
	const directory: Buffer[] = [];
	let offset = 0;
	for (const entry of entries) {
		const name = Buffer.from(entry.name);
		const data = deflateRawSync(entry.content);
		const size = entry.declared ?? entry.content.length;
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(8, 8);
		local.writeUInt32LE(data.length, 18);
		local.writeUInt32LE(size, 22);
		local.writeUInt16LE(name.length, 26);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(8, 10);
		central.writeUInt32LE(data.length, 20);
		central.writeUInt32LE(size, 24);
		central.writeUInt16LE(name.length, 28);
		central.writeUInt32LE(offset, 42);
		locals.push(local, name, data);
		directory.push(central, name);
		offset += local.length + name.length + data.length;
	}
	const directoryBytes = Buffer.concat(directory);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(directoryBytes.length, 12);
	end.writeUInt32LE(offset, 16);
	return new Uint8Array(Buffer.concat([...locals, directoryBytes, end]));
}
