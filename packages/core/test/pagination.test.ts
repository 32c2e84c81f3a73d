import { afterEach, describe, expect, it } from "vitest";
import { PaginationError, cursor, isXError, pageNumber, paginate, type NextPage } from "../src/index.js";
import { json, startTestServer, type TestServer } from "./helpers.js";

const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

const ITEMS = ["a", "b", "c", "d", "e"];

async function serve(handler: Parameters<typeof startTestServer>[0]) {
  const server = await startTestServer(handler);
  servers.push(server);
  return server;
}

const getJson = async <T>(url: string): Promise<T> => (await fetch(url)).json() as Promise<T>;

interface FinapiPage {
  transactions: string[];
  paging: { page: number; perPage: number; pageCount: number };
}

/** finAPI's shape: `?page=&perPage=`, answered with `paging.pageCount`. */
async function finapiLike() {
  return serve((req, res) => {
    const query = new URL(req.url, "http://x").searchParams;
    const page = Number(query.get("page") ?? 1);
    const perPage = Number(query.get("perPage") ?? 2);
    json(res, 200, {
      transactions: ITEMS.slice((page - 1) * perPage, page * perPage),
      paging: { page, perPage, pageCount: Math.ceil(ITEMS.length / perPage) },
    });
  });
}

interface SaltEdgePage {
  data: string[];
  meta: { next_id: string | null };
}

/** Salt Edge's shape: `?from_id=`, answered with `meta.next_id` (null on the last page). */
async function saltEdgeLike(
  nextId: (fromIndex: number) => string | null = (i) => (i + 2 < ITEMS.length ? `id-${i + 2}` : null),
) {
  return serve((req, res) => {
    const fromId = new URL(req.url, "http://x").searchParams.get("from_id");
    const from = fromId === null ? 0 : Number(fromId.slice(3));
    json(res, 200, { data: ITEMS.slice(from, from + 2), meta: { next_id: nextId(from) } });
  });
}

const pagesAsked = (server: TestServer, name: string) =>
  server.requests.map((r) => new URL(r.url, "http://x").searchParams.get(name));

describe("paginate", () => {
  it("page numbers (finAPI): asks for page 1, 2, 3 up to paging.pageCount and yields every item", async () => {
    const server = await finapiLike();
    const transactions = paginate({
      fetchPage: (page?: number) => getJson<FinapiPage>(`${server.url}/transactions?page=${page}&perPage=2`),
      items: (page) => page.transactions,
      next: pageNumber((page) => page.paging.pageCount),
    });
    expect(server.requests).toHaveLength(0); // nothing before iteration
    const seen: string[] = [];
    for await (const transaction of transactions) seen.push(transaction);
    expect(seen).toEqual(ITEMS);
    expect(pagesAsked(server, "page")).toEqual(["1", "2", "3"]);
  });

  it("a cursor (Salt Edge): follows meta.next_id with from_id until it is null; pages() yields each page", async () => {
    const server = await saltEdgeLike();
    const list = paginate({
      fetchPage: (fromId?: string) =>
        getJson<SaltEdgePage>(`${server.url}/transactions${fromId === undefined ? "" : `?from_id=${fromId}`}`),
      items: (page) => page.data,
      next: cursor((page) => page.meta.next_id),
    });
    const pages: string[][] = [];
    for await (const page of list.pages()) pages.push(page);
    expect(pages).toEqual([["a", "b"], ["c", "d"], ["e"]]);
    expect(pagesAsked(server, "from_id")).toEqual([null, "id-2", "id-4"]);
    expect(await list.collect()).toEqual(ITEMS); // each iteration starts over
  });

  it("any function is a strategy: an offset/limit API written by a third party", async () => {
    const server = await serve((req, res) => {
      const query = new URL(req.url, "http://x").searchParams;
      const offset = Number(query.get("offset"));
      json(res, 200, { results: ITEMS.slice(offset, offset + 2), total: ITEMS.length });
    });
    type Page = { results: string[]; total: number };
    const byOffset: NextPage<Page, number> = (page, offset = 0) =>
      offset + page.results.length < page.total ? offset + page.results.length : undefined;
    const list = paginate({
      fetchPage: (offset = 0) => getJson<Page>(`${server.url}/items?offset=${offset}&limit=2`),
      items: (page) => page.results,
      next: byOffset,
    });
    expect(await list.collect()).toEqual(ITEMS);
    expect(pagesAsked(server, "offset")).toEqual(["0", "2", "4"]);
  });

  it("collect(maxItems) and leaving the loop early stop the requests", async () => {
    const server = await finapiLike();
    const list = paginate({
      fetchPage: (page?: number) => getJson<FinapiPage>(`${server.url}/transactions?page=${page}&perPage=2`),
      items: (page) => page.transactions,
      next: pageNumber((page) => page.paging.pageCount),
    });
    expect(await list.collect(3)).toEqual(["a", "b", "c"]);
    expect(server.requests).toHaveLength(2);
    for await (const item of list) if (item === "a") break;
    expect(server.requests).toHaveLength(3);
  });

  it(
    "a cursor that does not advance ends the iteration with a " +
      "PaginationError after the second page, not an endless loop",
    async () => {
      const server = await saltEdgeLike(() => "id-2"); // the provider keeps answering next_id = id-2
      const list = paginate({
        fetchPage: (fromId?: string) =>
          getJson<SaltEdgePage>(`${server.url}/transactions${fromId === undefined ? "" : `?from_id=${fromId}`}`),
        items: (page) => page.data,
        next: cursor((page) => page.meta.next_id),
        provider: "saltedge",
        what: "GET /transactions",
      });
      const seen: string[] = [];
      const error = await (async () => {
        for await (const item of list) seen.push(item);
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PaginationError);
      expect(isXError(error, { provider: "saltedge", code: "PAGINATION_STUCK" })).toBe(true);
      expect((error as PaginationError).message).toBe(
        "saltedge GET /transactions repeated a next-page cursor after " +
          "page 2; stopped instead of looping, report it to the provider.",
      );
      expect(seen).toEqual(["a", "b", "c", "d"]);
      expect(server.requests).toHaveLength(2);
    },
  );

  it("a cycle of cursors (A, B, A) is caught too", async () => {
    const server = await saltEdgeLike((from) => (from === 2 ? "id-0" : "id-2"));
    const list = paginate({
      fetchPage: (fromId?: string) =>
        getJson<SaltEdgePage>(`${server.url}/t${fromId === undefined ? "" : `?from_id=${fromId}`}`),
      items: (page) => page.data,
      next: cursor((page) => page.meta.next_id),
    });
    await expect(list.collect()).rejects.toMatchObject({ name: "PaginationError", code: "PAGINATION_STUCK" });
    expect(pagesAsked(server, "from_id")).toEqual([null, "id-2", "id-0"]);
  });
});
