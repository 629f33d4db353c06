/** This browser's local copies of boards (IndexedDB via y-indexeddb): their naming, and clearing them on sign-out. */

export const LOCAL_DB_PREFIX = 'werkraum-board-'

/** Deletes this browser's local copies of boards (on sign-out: office computers are shared). */
export async function clearLocalBoardCopies(): Promise<void> {
  const databases = (await indexedDB.databases?.()) ?? []
  await Promise.all(
    databases
      .filter((d) => d.name?.startsWith(LOCAL_DB_PREFIX))
      .map(
        (d) =>
          new Promise<void>((resolve) => {
            const request = indexedDB.deleteDatabase(d.name!)
            request.onsuccess = request.onerror = request.onblocked = () => resolve()
          }),
      ),
  )
}
