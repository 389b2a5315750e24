// End-to-end: the rough edges of issue 17 in a real window, at 1280×800 and 900×700. A dream's
// changes named in plain words with their strength; its evidence session leads back to it; an
// empty date filter looks empty; the tab bar stays on one line in a small window. Each state
// is a screenshot to look at.

export function register(test, { shot, assert }) {
  test('plain words, a way back from evidence, and a small window', async (d) => {
    await (await d.waitFor('[data-testid="demo-create"]')).click();
    await (await d.waitFor('[data-testid="dream-now"]')).click();
    const card = await d.waitFor('[data-testid="proposal"]', { timeout: 60000 });
    const kind = await (await card.find('.op')).text();
    assert(['New', 'Change', 'Combine', 'Remove'].includes(kind.trim()), `the change's kind in words: ${kind}`);
    const strength = await (await card.find('[data-testid="proposal-strength"]')).text();
    assert(/^(Strong|Moderate|Weak)/.test(strength), `strength in words: ${strength}`);
    await shot(d, '70-review-words-1280');

    // Evidence, then back to the dream.
    await (await card.find('[data-testid="evidence-link"]')).click();
    await (await d.waitFor('[data-testid="back-to-dream"]')).click();
    await d.waitFor('[data-testid="proposal"]');

    for (const [w, h] of [[1280, 800], [900, 700]]) {
      await d.setSize(w, h);
      const [scroll, client] = await d.execute('const n = document.querySelector(".tabs"); return [n.scrollWidth, n.clientWidth];');
      assert(scroll <= client, `every tab fits without scrolling at ${w}×${h}: ${scroll} > ${client}`);
      await (await d.waitFor('[data-testid="tab-sessions"]')).click();
      await d.waitFor('[data-testid="date-from"]');
      await shot(d, `71-sessions-${w}`);
      const tops = await d.execute(
        'return [...document.querySelectorAll(".tabs .tab")].map((t) => t.getBoundingClientRect().top);',
      );
      assert(new Set(tops.map(Math.round)).size === 1, `the tabs stay on one line at ${w}×${h}: ${tops}`);
      const emptyColor = await d.execute(
        'const i = document.querySelector("[data-testid=date-from]"); return [i.value, getComputedStyle(i).color, getComputedStyle(document.querySelector("[data-testid=date-to]")).color];',
      );
      assert(emptyColor[0] === '' && emptyColor[1] === emptyColor[2], `empty date fields look alike and unset: ${emptyColor}`);
      for (const tab of ['dreams', 'progress', 'connections']) {
        await (await d.waitFor(`[data-testid="tab-${tab}"]`)).click();
        await new Promise((r) => setTimeout(r, 400));
        await shot(d, `72-${tab}-${w}`);
      }
      // The save bar of an edited rubric: Save, Discard and the note on one line.
      await (await d.waitFor('[data-testid="tab-rubric"]')).click();
      await (await d.waitFor('[data-testid="outcome-description"]')).type(' Also short.');
      await d.waitFor('[data-testid="rubric-note"]', { text: 'Unsaved' });
      const barTops = await d.execute(
        'return [...document.querySelector("[data-testid=rubric-save]").parentElement.children].filter((c) => c.textContent.trim()).map((c) => Math.round(c.getBoundingClientRect().top + c.getBoundingClientRect().height / 2));',
      );
      assert(new Set(barTops).size === 1, `the save bar stays on one line at ${w}×${h}: ${barTops}`);
      await shot(d, `74-save-bar-${w}`);
      await d.execute('[...document.querySelectorAll(".bar button")].find((b) => b.textContent.includes("Discard")).click();');
      // The sidebar is never scrolled out of view.
      const sidebarTop = await d.execute('return document.querySelector("aside").getBoundingClientRect().top;');
      assert(Math.round(sidebarTop) === 0, `the sidebar stays in place: ${sidebarTop}`);
    }
    await d.setSize(1280, 800);

    // A session opened from far down the list opens at its top, title in view; going back
    // finds the list where it was.
    await (await d.waitFor('[data-testid="tab-sessions"]')).click();
    await d.waitFor('[data-testid="session-row"]');
    const listAt = await d.execute(
      'const m = document.querySelector(".main"); m.scrollTop = m.scrollHeight; return m.scrollTop;',
    );
    assert(listAt > 0, `the demo's session list scrolls: ${listAt}`);
    await d.execute('const rows = document.querySelectorAll("[data-testid=session-row] a.open"); rows[rows.length - 1].click();');
    await d.waitFor('[data-testid="transcript"]');
    await new Promise((r) => setTimeout(r, 300));
    const [mainTop, titleTop, viewport] = await d.execute(
      'return [document.querySelector(".main").scrollTop, document.querySelector("#session-title").getBoundingClientRect().top, window.innerHeight];',
    );
    assert(mainTop === 0 && titleTop >= 0 && titleTop < viewport / 2, `the session opens at its top: ${mainTop}, title at ${titleTop}`);
    await shot(d, '73-session-opened-at-top');
    await (await d.waitFor('.transcript-page a.back')).click();
    await d.waitFor('[data-testid="session-row"]');
    await new Promise((r) => setTimeout(r, 300));
    const back = await d.execute('return document.querySelector(".main").scrollTop;');
    assert(Math.abs(back - listAt) < 2, `back in the list where it was: ${back} vs ${listAt}`);
  });
}
