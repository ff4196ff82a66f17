// The cards that are lists or tables rather than bars: milestones, most rewatched, best rated,
// ratings against TMDB, year over year, and a year's calendar heatmap.

import { mountCalendar, unmountCalendar } from "../charts/calendar.js";
import { unmountChart } from "../charts/bars.js";
import { h, setChildren } from "../lib/dom.js";
import { dec1, hoursOf, num, ordinal, plural, shortDay, signed, stars } from "../lib/format.js";
import { attribution } from "../lib/tmdb.js";

const filmTitle = (e) => h("span", { class: "film-name", text: e.name }, []);
const yearTag = (year) => (year ? h("span", { class: "film-year", text: String(year) }) : null);

function list(body, cls, items) {
  unmountChart(body);
  unmountCalendar(body);
  setChildren(body, [h("ol", { class: cls }, items)]);
}

export const MILESTONES = {
  key: "milestones",
  title: "Milestones",
  wide: false,
  empty: "No dated watches",
  isEmpty: (a) => !a.milestones?.length,
  subtitle: (a) => (a.year ? "Your watches of the year, in order" : "Your watches, in order"),
  render: (body, a) =>
    list(
      body,
      "timeline",
      a.milestones.map((m) =>
        h("li", {}, [
          h("span", { class: "timeline-mark", text: m.n === 1 ? (a.year ? "First of the year" : "First film") : `${ordinal(m.n)} film` }),
          h("span", { class: "timeline-film" }, [filmTitle(m), " ", yearTag(m.year)]),
          h("time", { datetime: m.date, text: shortDay(m.date) }),
        ]),
      ),
    ),
};

export const MOST_REWATCHED = {
  key: "most_rewatched",
  title: "Most rewatched",
  empty: "No film was watched twice",
  isEmpty: (a) => !a.most_rewatched?.length,
  render: (body, a) =>
    list(
      body,
      "ranked-films",
      a.most_rewatched.map((f) =>
        h("li", {}, [h("span", { class: "film-text" }, [filmTitle(f), " ", yearTag(f.year)]), h("span", { class: "film-count", text: `${num(f.count)}×` })]),
      ),
    ),
};

export const BEST_RATED = {
  key: "best_rated",
  title: "Best rated",
  empty: "No rated films",
  isEmpty: (a) => !a.best_rated?.length,
  subtitle: (a) => (a.year ? `Your highest ratings among the films of ${a.year}` : "Your highest ratings"),
  render: (body, a) =>
    list(
      body,
      "ranked-films",
      a.best_rated.map((f) =>
        h("li", {}, [h("span", { class: "film-text" }, [filmTitle(f), " ", yearTag(f.year)]), h("span", { class: "film-count", text: stars(f.rating) })]),
      ),
    ),
};

export const VERSUS_TMDB = {
  key: "versus_tmdb",
  title: "You and TMDB's average",
  wide: true,
  matched: true,
  empty: "No rated films with a TMDB vote average",
  isEmpty: (a) => !a.versus_tmdb?.compared,
  render: (body, a, ctx) => {
    const v = a.versus_tmdb;
    unmountChart(body);
    setChildren(body, [
      h("dl", { class: "mini-stats", "aria-label": "Your ratings against TMDB's" }, [
        mini("Rated higher", num(v.higher), "than TMDB's average"),
        mini("Rated lower", num(v.lower), "than TMDB's average"),
        mini("About the same", num(v.same), "within a quarter star"),
        mini("On average", `${signed(v.average_difference ?? 0, 2)} ★`, `over ${plural(v.compared, "film")}`),
      ]),
      h("h4", { class: "list-title", text: "Biggest disagreements" }),
      h(
        "ol",
        { class: "ranked-films" },
        v.biggest_disagreements.map((d) =>
          h("li", {}, [
            h("span", { class: "film-text" }, [filmTitle(d), " ", yearTag(d.year)]),
            h("span", { class: `film-count ${d.difference > 0 ? "up" : "down"}`, text: `you ${stars(d.rating)} · TMDB ${dec1(d.tmdb_rating)} ★` }),
          ]),
        ),
      ),
      attribution(ctx.demo),
    ]);
  },
};

function mini(label, value, detail) {
  return h("div", { class: "mini" }, [h("dt", { text: label }), h("dd", { class: "mini-value", text: value }), h("dd", { class: "mini-detail", text: detail })]);
}

export const YEAR_OVER_YEAR = {
  key: "year_over_year",
  title: "Year over year",
  wide: true,
  empty: "No dated watches",
  isEmpty: (a) => !a.year_over_year?.length,
  render: (body, a, ctx) => {
    unmountChart(body);
    const rated = a.rated !== null; // no ratings in the upload (Netflix): no Average column
    const rows = a.year_over_year.map((y) =>
      h("tr", {}, [
        h("th", { scope: "row" }, [
          h("a", { href: ctx.yearHref(y.year), class: "year-link", "data-year": y.year, text: String(y.year) }),
        ]),
        h("td", { text: num(y.films) }),
        h("td", { text: num(y.watches) }),
        h("td", { text: hoursOf(y.total_runtime_minutes) }),
        rated ? h("td", { text: y.average_rating == null ? "—" : `${dec1(y.average_rating)} ★` }) : null,
      ]),
    );
    const heads = ["Year", "Films", "Watches", "Hours", ...(rated ? ["Average"] : [])];
    setChildren(body, [
      h("div", { class: "table-wrap" }, [
        h("table", { class: "yoy" }, [
          h("caption", { class: "visually-hidden", text: `Films, watches, hours${rated ? " and average rating" : ""} per year` }),
          h("thead", {}, [h("tr", {}, heads.map((t) => h("th", { scope: "col", text: t })))]),
          h("tbody", {}, rows),
        ]),
      ]),
    ]);
  },
};

export const CALENDAR = {
  key: "calendar",
  title: "Every day of the year",
  wide: true,
  empty: "No watches this year",
  isEmpty: (a) => !a.calendar?.some((d) => d.count),
  render: (body, a, ctx) => {
    const days = a.calendar;
    const watched = days.filter((d) => d.count);
    const busiest = watched.reduce((x, y) => (y.count > x.count ? y : x), watched[0]);
    unmountChart(body);
    const holder = body.querySelector(".calendar-holder") ?? h("div", { class: "calendar-holder" });
    if (!holder.isConnected) setChildren(body, [holder]);
    mountCalendar(holder, {
      key: "calendar",
      title: `Watches on each day of ${a.year}`,
      desc: `${plural(watched.length, "day")} with a watch out of ${num(days.length)}; the busiest, ${shortDay(busiest.date)}, had ${plural(busiest.count, "watch", "watches")}.`,
      days,
      onSelect: (d) => ctx.select({ watched_on: d.date }, `Watched on ${shortDay(d.date)}`),
    });
    const extra = body.parentElement.querySelector(".card-extra");
    extra.replaceChildren(
      h("p", { class: "legend", "aria-hidden": "true" }, [
        "Fewer ",
        ...[0, 1, 2, 3, 4].map((n) => h("span", { class: `swatch level-${n}` })),
        " more",
      ]),
      h("details", { class: "chart-table" }, [
        h("summary", { text: "Table" }),
        h("table", {}, [
          h("caption", { class: "visually-hidden", text: "Days with watches" }),
          h("thead", {}, [h("tr", {}, [h("th", { scope: "col", text: "Day" }), h("th", { scope: "col", text: "Watches" })])]),
          h(
            "tbody",
            {},
            watched.map((d) =>
              h("tr", {}, [
                h("th", { scope: "row" }, [
                  h("button", {
                    type: "button",
                    class: "link-button",
                    text: shortDay(d.date),
                    onclick: () => ctx.select({ watched_on: d.date }, `Watched on ${shortDay(d.date)}`),
                  }),
                ]),
                h("td", { text: num(d.count) }),
              ]),
            ),
          ),
        ]),
      ]),
    );
  },
};
