export function transformTs(path: string, source?: string): { code: string; map: string };
