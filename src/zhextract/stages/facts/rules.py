"""Head-finding rules that attach a predicate, its subject, object, time, change and
modality to a figure, reading words, jieba POS tags, entities and dates.

Within the clause holding the figure (clauses end at ，；：。), the predicate is the
nearest trigger word or verb to the figure's left, else to its right. Walking left from
the predicate, a noun run after a preposition (對美, 向歐盟) is the other party, one
after 將/把 the thing acted on, and the first other noun run the subject; an entity
further left in the clause wins over a plain noun phrase. A reporting verb (表示, 指出)
ends the clause's left context: the name before it is the speaker.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .lexicon import MOVEMENTS, Lexicon, Trigger
from .words import SUBJECT_LABELS, Word

# How far (in words) the rules look from a figure; keeps the stage linear on text
# without punctuation.
REACH = 40
# How far (in words) pronouns and omitted subjects are looked for.
FAR = 3 * REACH
# Figure labels of counts that can be the subject themselves (兩國元首, 1萬家企業).
COUNT_LABELS = frozenset({"QUANTITY", "CARDINAL"})
# How many earlier clauses an omitted subject or time is looked for in, and the marks (；) that
# end a group of clauses: beyond them another subject is being talked about.
EARLIER_CLAUSES = 3
CLAUSE_GROUP_ENDS = frozenset({"；", ";", "：", ":"})
OPENING_BRACKETS = frozenset({"(", "（"})
CLOSING_BRACKETS = frozenset({")", "）"})
DISPOSAL_MARKERS = frozenset({"將", "把"})
FROM_MARKERS = frozenset({"從", "由", "自"})
TO_MARKERS = frozenset({"至", "到", "為"})
NEGATION_PREFIXES = ("未", "不", "沒", "無")
SOURCE_CUES = frozenset({"據", "根據", "依據"})
QUOTES = frozenset('「『“"')
# Trigger classes whose words also serve as nouns (資本支出, 出口, 成長率).
NOMINAL_CLASSES = frozenset({"invest", "trade", "increase", "decrease", "share"})


@dataclass
class Predicate:
    position: int  # index of its last word
    first: int  # index of its first word
    start: int
    end: int
    lemma: str
    predicate_class: str
    negation: tuple[int, int] | None
    adjacent_only: bool = False


@dataclass
class Party:
    """An entity or noun phrase: its span, and what it names (a resolved entity)."""

    start: int
    end: int
    label: str | None = None
    name: str | None = None
    mention: tuple[int, int] | None = None
    members: list[tuple[int, int, str]] | None = None
    role: str | None = None


class SentenceReader:
    """The rules over one sentence's words (and the previous sentence's, for omitted
    subjects and pronouns)."""

    def __init__(self, words: list[Word], previous: list[Word], lexicon: Lexicon) -> None:
        self.words = words
        self.previous = previous
        self.lex = lexicon
        self.positions = {word.start: index for index, word in enumerate(words)}

    def text_of(self, start: int, end: int) -> str:
        """The text of words from offset `start` to `end` (both word boundaries)."""
        first = self.positions[start]
        parts = []
        for word in self.words[first:]:
            if word.start >= end:
                break
            parts.append(word.text)
        return "".join(parts)

    # -- clause and region -------------------------------------------------------------

    def clause(self, position: int) -> tuple[int, int]:
        """[first, last] word indices of the clause around `position`, within REACH."""
        words = self.words
        low = position
        while low > 0 and position - low < REACH and not words[low - 1].is_clause_end:
            low -= 1
        high = position
        while (
            high + 1 < len(words) and high - position < REACH and not words[high + 1].is_clause_end
        ):
            high += 1
        return low, high

    def reporting(self, before: int) -> int | None:
        """Index of the last reporting cue before `before` in the sentence (within REACH).
        A cue inside an earlier clause (川普強調維護…，日本完全尊重) reports that clause
        only; one that ends its clause (表示，…) reports what follows."""
        in_clause = True
        for index in range(before - 1, max(-1, before - 1 - REACH), -1):
            word = self.words[index]
            if word.is_clause_end:
                in_clause = False
            if word.kind == "" and self.lex.cues.get(word.text) == "reporting":
                following = self.words[index + 1] if index + 1 < len(self.words) else None
                opens = following is None or following.is_clause_end or following.text in QUOTES
                if in_clause or opens or word.text in SOURCE_CUES:
                    return index
        return None

    # -- predicate ---------------------------------------------------------------------

    def predicate(self, figure: int, low: int, high: int) -> Predicate | None:
        """The nearest predicate left of the figure, else right of it; a word that is a
        predicate only next to a figure (共, 約, 為) yields to a verb on the right
        (共1萬家企業受惠)."""
        left = None
        if figure > low and self._cue(self.words[figure - 1]) == "span":
            # 連續第十個月成長: the figure says how long; the predicate follows it.
            for index in range(figure + 1, high + 1):
                right = self._predicate_at(index, adjacent=False, low=figure + 1)
                if right:
                    return right
        for index in range(figure - 1, low - 1, -1):
            left = self._predicate_at(index, adjacent=index == figure - 1, low=low)
            if left or self._is_reporting(index):
                break
        if left is not None and not left.adjacent_only:
            return left
        for index in range(figure + 1, high + 1):
            if self.words[index].pos.startswith("n"):
                continue  # 第三季經濟成長率達: a noun after the figure is no predicate
            right = self._predicate_at(index, adjacent=False, low=figure + 1)
            if right:
                return right
        return left

    def _cue(self, word: Word) -> str | None:
        return None if word.kind else self.lex.cues.get(word.text)

    def _is_reporting(self, index: int) -> bool:
        word = self.words[index]
        return word.kind == "" and self.lex.cues.get(word.text) == "reporting"

    def _predicate_at(self, index: int, adjacent: bool, low: int) -> Predicate | None:
        words = self.words
        word = words[index]
        if word.kind:
            return None
        if index > low and not words[index - 1].kind:
            pair = words[index - 1].text + word.text
            trigger = self.lex.triggers.get(pair)
            if trigger and (adjacent or not trigger.adjacent_only):
                return self._make(index - 1, index, trigger, None)
        trigger = self.lex.triggers.get(word.text)
        if trigger and (adjacent or not trigger.adjacent_only):
            return self._make(index, index, trigger, None)
        if word.text.startswith(NEGATION_PREFIXES) and len(word.text) > 1:
            trigger = self.lex.triggers.get(word.text[1:])
            if trigger and (adjacent or not trigger.adjacent_only):
                return self._make(index, index, trigger, (word.start, word.start + 1))
        glued = self.lex.trigger_in(word.text)
        if glued and (adjacent or not glued[0].adjacent_only):
            return self._make(index, index, glued[0], None)
        if word.text in self.lex.prepositions:
            return None  # 到 in 提高到: the predicate is the verb before it
        if word.pos == "vn":
            return None  # a verbal noun (生產, 衝擊) heads a noun phrase, not the clause
        following = self.words[index + 1] if index + 1 < len(self.words) else None
        if following is not None and not following.kind:
            # 調|升至: a trigger jieba cut in two, read from its first half.
            joined = word.text + following.text
            trigger = self.lex.triggers.get(joined)
            glued = (trigger, 0) if trigger else self.lex.trigger_in(joined)
            if glued and glued[1] == 0 and not glued[0].adjacent_only:
                return self._make(index, index + 1, glued[0], None)
        if word.is_verb and word.text not in self.lex.cues and word.text not in self.lex.anaphora:
            return Predicate(index, index, word.start, word.end, word.text, "other", None)
        return None

    def _make(
        self, first: int, last: int, trigger: Trigger, negation: tuple[int, int] | None
    ) -> Predicate:
        words = self.words
        return Predicate(
            last,
            first,
            words[first].start,
            words[last].end,
            trigger.lemma,
            trigger.predicate_class,
            negation,
            trigger.adjacent_only,
        )

    def negation(self, predicate: Predicate, low: int) -> tuple[int, int] | None:
        """A negation cue glued to the predicate or up to two words before it."""
        if predicate.negation:
            return predicate.negation
        for index in range(predicate.first - 1, max(low, predicate.first - 3) - 1, -1):
            word = self.words[index]
            if word.kind:
                return None
            if self.lex.cues.get(word.text) == "negation":
                return word.start, word.end
            if not word.pos.startswith("d"):
                return None
        return None

    # -- subject and object ------------------------------------------------------------

    def arguments(self, left_of: int, low: int) -> tuple[Party | None, Party | None]:
        """The subject and the other party found walking left from `left_of` to `low`."""
        words = self.words
        subject_run: tuple[int, int] | None = None
        subject_entity: Party | None = None
        obj: Party | None = None
        index = left_of - 1
        while index >= low:
            word = words[index]
            if word.is_clause_end:
                break
            if word.kind == "" and word.text in CLOSING_BRACKETS:
                index = self._opening_bracket(index, low) - 1  # a gloss: (Emmanuel Macron)
                continue
            short = self._short_name_compound(word)
            if short:
                obj = obj or short
                index -= 1
                continue
            if not (self._is_argument_word(word) or self._joins_run(index, low)):
                index -= 1
                continue
            first = index
            while first - 1 >= low and (
                self._is_argument_word(words[first - 1]) or self._joins_run(first - 1, low)
            ):
                first -= 1
            before = words[first - 1] if first - 1 >= low else None
            marker = before.text if before is not None and before.kind == "" else ""
            preposition = self.lex.prepositions.get(marker)
            if preposition and preposition.role == "agent":
                # 由德國政府補助: the phrase after 由 is the one doing it.
                agent = self._party_in_run(first, index, role=None)
                return (agent or subject_entity), obj
            if (
                preposition
                and preposition.role == "place"
                and self._is_frame(first, index, left_of)
            ):
                index = first - 2  # 在德州, 在馬克宏主導下: where or how, not who
                continue
            if preposition and preposition.role != "place" and preposition.side != "after":
                named = self._last_named(first, index)
                if obj is None:
                    obj = self._party_in_run(first, named, role=preposition.role)
                if named < index and subject_run is None:
                    subject_run = (named + 1, index)  # 自日本|進口 增加
                index = first - 2
                continue
            if marker in DISPOSAL_MARKERS:
                index = first - 2
                continue
            if subject_run is None:
                subject_run = (first, index)
            entity = self._party_in_run(first, index, role=None, entities_only=True)
            if entity is not None:
                subject_entity = entity
                break
            index = first - 1
        if subject_entity is not None:
            return subject_entity, obj
        if subject_run is not None:
            return self._party_in_run(*subject_run, role=None), obj
        return None, obj

    def _is_argument_word(self, word: Word) -> bool:
        if word.kind == "entity":
            return True
        if word.kind:
            return False
        if word.text in self.lex.short_names or self.anaphor_start(word) is not None:
            return True
        if word.pos == "x" and all(char in self.lex.prefixes for char in word.text):
            return False  # adverbs jieba does not know, such as 迄已
        if word.text in self.lex.cues:
            return False
        if word.is_nominal:
            return True
        trigger = self.lex.triggers.get(word.text)
        if trigger is None or trigger.predicate_class not in NOMINAL_CLASSES:
            return False
        if trigger.predicate_class == "share" and len(word.text) < 2:
            return False  # 占 is a verb; 占比, 比重 are nouns
        # A verb of the domain is a noun after a noun (資本支出), not after a number (月增).
        index = self._index_of(word)
        return index > 0 and self.words[index - 1].is_nominal

    def _opening_bracket(self, index: int, low: int) -> int:
        """The index of the bracket opening the one closing at `index` (else `index`)."""
        for back in range(index - 1, max(low, index - REACH) - 1, -1):
            if self.words[back].text in OPENING_BRACKETS:
                return back
        return index

    def _is_frame(self, first: int, last: int, predicate: int) -> bool:
        """Whether the phrase words[first..last] after 在 is a place or a closed frame
        (a 方位詞 such as 下, 後 between it and the predicate), not the one acting."""
        named = self.words[self._last_named(first, last)]
        if named.kind != "entity" or named.label not in ("PERSON", "ORG"):
            return True
        return any(word.pos == "f" for word in self.words[last + 1 : predicate])

    def _joins_run(self, index: int, low: int) -> bool:
        """A word jieba tags as a verb or adjective inside a noun phrase (外匯存底,
        關稅收入, 給付額度): after a noun, and not before a preposition."""
        words = self.words
        word = words[index]
        if word.kind or not word.pos.startswith(("v", "a")) or len(word.text) < 2:
            return False
        if word.text in self.lex.cues or word.text in self.lex.prepositions:
            return False
        trigger = self.lex.triggers.get(word.text)
        if trigger is not None and trigger.predicate_class not in NOMINAL_CLASSES:
            return False
        if index - 1 < low or not words[index - 1].is_nominal:
            return False
        following = words[index + 1] if index + 1 < len(words) else None
        if following is None or following.is_clause_end:
            return True
        return following.text not in self.lex.prepositions

    def _last_named(self, first: int, last: int) -> int:
        """The last entity, short name or anaphor in words[first..last] (else `last`):
        where a phrase after a preposition ends and the head noun after it begins."""
        for index in range(last, first - 1, -1):
            word = self.words[index]
            if word.kind == "entity" or word.text in self.lex.short_names:
                return index
            if self.anaphor_start(word) is not None:
                return index
        return last

    def _short_name_compound(self, word: Word) -> Party | None:
        """對美, 赴日 written as one word: the preposition and a place's short name."""
        text = word.text
        if word.kind or len(text) != 2:
            return None
        preposition = self.lex.prepositions.get(text[0])
        full = self.lex.short_names.get(text[1])
        if preposition is None or full is None or preposition.side == "after":
            return None
        return Party(word.start + 1, word.end, "GPE", full, role=preposition.role)

    def _party_in_run(
        self, first: int, last: int, role: str | None, entities_only: bool = False
    ) -> Party | None:
        """The last entity, anaphor or short name in words[first..last]; else (unless
        `entities_only`) the whole run as a noun phrase."""
        words = self.words
        for index in range(last, first - 1, -1):
            word = words[index]
            if word.kind == "entity" and (role or word.label in SUBJECT_LABELS):
                # A subject phrase headed by a noun after the name (拜登政府, 中國客戶)
                # keeps its head: the span is the phrase, the name the entity's.
                # So does a name before it (泰國央行, 日本首相石破茂).
                start, end = word.start, word.end
                if role is None and all(words[i].is_nominal for i in range(index + 1, last + 1)):
                    end = words[last].end
                if role is None:
                    start = next(w.start for w in words[first : index + 1] if w.kind == "entity")
                return Party(start, end, word.label, word.text, role=role)
            if word.kind == "" and self.anaphor_start(word) is not None:
                resolved = self.resolve(index, role)
                if resolved is not None or entities_only:
                    return resolved
            if word.kind == "" and word.text in self.lex.short_names and role:
                full = self.lex.short_names[word.text]
                return Party(word.start, word.end, "GPE", full, role=role)
        if entities_only or all(len(words[i].text) == 1 for i in range(first, last + 1)):
            return None  # a lone character (內 in 兩天內, 時) names nothing by itself
        start, end = words[first].start, words[last].end
        return Party(start, end, None, None, role=role)

    def anaphor_start(self, word: Word) -> int | None:
        """Where the anaphor ending with `word` starts (該公司 may be cut 該|公司), or None."""
        if word.kind:
            return None
        if word.text in self.lex.anaphora:
            return word.start
        index = self._index_of(word)
        if index > 0 and self.words[index - 1].end == word.start:
            pair = self.words[index - 1].text + word.text
            if pair in self.lex.anaphora:
                return self.words[index - 1].start
        return None

    def _index_of(self, word: Word) -> int:
        return self.positions.get(word.start, -1)

    def resolve(self, index: int, role: str | None) -> Party | None:
        """The entity an anaphor stands for: the nearest before it with a fitting label
        in this sentence or the previous one (two distinct ones for 雙方); else None."""
        mention_word = self.words[index]
        start = self.anaphor_start(mention_word)
        assert start is not None
        mention = (start, mention_word.end)
        wanted = self.lex.anaphora[self.text_of(*mention)]
        # Within a window, so that a sentence without punctuation stays linear.
        window = self.previous[-FAR:] + self.words[max(0, index - FAR) : index]
        candidates = [w for w in window if w.kind == "entity" and w.end <= start]
        if wanted == "self":
            return None  # 我國, 本部: the writer's own, not named in the text
        if wanted == "pair":
            members: list[tuple[int, int, str]] = []
            for word in reversed(candidates):
                if word.label in SUBJECT_LABELS and word.text not in {m[2] for m in members}:
                    members.append((word.start, word.end, word.text))
                if len(members) == 2:
                    members.reverse()
                    return Party(*mention, None, None, mention, members, role)
            return None
        for word in reversed(candidates):
            if word.label == wanted:
                return Party(word.start, word.end, word.label, word.text, mention, role=role)
        return None

    def object_after(self, predicate: Predicate, high: int) -> Party | None:
        """An entity right after the predicate (收購美國鋼鐵公司), or after 至/到/往,
        unless it qualifies a noun after it."""
        index = predicate.position + 1
        role = "target"
        if index <= high:
            preposition = self.lex.prepositions.get(self.words[index].text)
            if preposition and preposition.side != "before":
                role = preposition.role
                index += 1
        if index > high:
            return None
        word = self.words[index]
        following = self.words[index + 1] if index + 1 <= high else None
        if following is not None and following.is_nominal:
            return None  # 進入臺灣西南防空識別區: the name only qualifies the noun after it
        if word.kind == "entity":
            return Party(word.start, word.end, word.label, word.text, role=role)
        if word.kind == "" and word.text in self.lex.short_names:
            return Party(word.start, word.end, "GPE", self.lex.short_names[word.text], role=role)
        return None

    def counted_subject(self, figure: int, predicate: Predicate) -> Party | None:
        """A count with its noun directly before the predicate is the subject:
        兩國元首也指示, 1萬家企業受惠 (not a count of times: 每月2次進入)."""
        words = self.words
        if words[figure].label not in COUNT_LABELS or predicate.first <= figure:
            return None
        last = figure
        for index in range(figure + 1, predicate.first):
            word = words[index]
            if word.is_nominal:
                last = index
            elif not (word.pos.startswith("d") or self._cue(word) in ("planned", "expected")):
                return None
        if last == figure:
            return None
        return Party(words[figure].start, words[last].end)

    def earlier_subject(self, low: int, floor: int) -> Party | None:
        """For an omitted subject: the named subject of the nearest earlier clause of
        the sentence that has one, else the nearest noun phrase subject (never before
        `floor`, the end of a reporting frame)."""
        phrase = None
        end = low - 1  # the punctuation closing the earlier clause
        for _ in range(EARLIER_CLAUSES):
            if end <= floor or self.words[end].text in CLAUSE_GROUP_ENDS:
                break
            first, _ = self.clause(end - 1)
            first = max(first, floor)
            subject, _ = self.arguments(self._last_predicate(first, end), first)
            if subject is not None and (subject.label is not None or subject.members):
                return subject  # a named subject in any earlier clause wins
            phrase = phrase or subject
            end = first - 1
        return phrase

    def _last_predicate(self, first: int, end: int) -> int:
        """The first word of the last predicate in words[first:end], else `end`."""
        for index in range(end - 1, first - 1, -1):
            found = self._predicate_at(index, adjacent=True, low=first)
            if found is not None:
                return found.first
        return end

    def topic(self, before: int) -> Party | None:
        """For an omitted subject: the first entity of the sentence before `before` that
        no preposition governs (a speaker of this sentence may be the one acting: 央行
        宣布將降息), else the previous sentence's first that is no speaker (林處長表示)."""
        group_start = self.clause_group_start(before, 0)
        sources = [(self.words, group_start, before)]
        if group_start == 0:  # past a ；the previous sentence is no longer the topic
            sources.append((self.previous, 0, min(FAR, len(self.previous))))
        for words, first, limit in sources:
            speakers_too = words is self.words
            for index in range(first, limit):
                word = words[index]
                if word.kind != "entity" or word.label not in SUBJECT_LABELS:
                    continue
                marker = words[index - 1].text if index > 0 else ""
                if marker in self.lex.prepositions:
                    continue
                following = words[index + 1 : index + 4]
                if not speakers_too and any(self._cue(w) == "reporting" for w in following):
                    continue
                return Party(word.start, word.end, word.label, word.text)
        return None

    def speaker(self, cue: int) -> Party | None:
        """The name before a reporting verb (after 據/根據), within its clause."""
        words = self.words
        if words[cue].text in SOURCE_CUES:
            for index in range(cue + 1, min(len(words), cue + 6)):
                if words[index].is_clause_end:
                    break
                if words[index].kind == "entity":
                    word = words[index]
                    return Party(word.start, word.end, word.label, word.text)
            return None
        low, _ = self.clause(cue)
        subject, _ = self.arguments(cue, low)
        return subject

    # -- time, change, modality --------------------------------------------------------

    def time(
        self, figure: int, predicate: Predicate | None, low: int, high: int, floor: int
    ) -> int | None:
        """Index (into words) of the date that scopes the fact: the nearest date before
        it in the clause, else after it, else in an earlier clause of the sentence
        (never before `floor`, the reporting frame); a date after 較/比 is a comparison's
        base, not the fact's time."""
        anchor = min(figure, predicate.first) if predicate else figure
        before = [i for i in range(max(low, floor), anchor) if self._scoping_date(i)]
        if before:
            return before[-1]
        after = [i for i in range(anchor + 1, high + 1) if self._scoping_date(i)]
        if after:
            return after[0]
        group_start = self.clause_group_start(low, floor)
        earlier = [i for i in range(group_start, max(low, group_start)) if self._scoping_date(i)]
        return earlier[-1] if earlier else None

    def clause_group_start(self, low: int, floor: int) -> int:
        """Where the EARLIER_CLAUSES clauses before the one starting at `low` begin, not
        reaching past a ； or ： (nor `floor`)."""
        start = low
        for _ in range(EARLIER_CLAUSES):
            end = start - 1
            if end <= floor or self.words[end].text in CLAUSE_GROUP_ENDS:
                break
            start = max(self.clause(end - 1)[0], floor)
        return start

    def _scoping_date(self, index: int) -> bool:
        if self.words[index].kind != "date":
            return False
        for back in (1, 2):
            if index - back < 0:
                return True
            word = self.words[index - back]
            if word.kind == "" and self.lex.cues.get(word.text) == "comparison":
                return False
            if word.is_clause_end:
                return True
        return True

    def change(
        self, predicate: Predicate, low: int, high: int
    ) -> tuple[str, int | None, int | None] | None:
        """Direction and the from/to figures (word indices) of a movement predicate."""
        if predicate.predicate_class not in MOVEMENTS:
            return None
        words = self.words
        source = target = None
        for index in range(low, predicate.first):
            word = words[index]
            if word.kind == "figure" and index > low and words[index - 1].text in FROM_MARKERS:
                source = index
        after = predicate.position + 1
        marked = words[predicate.position].text[-1] in TO_MARKERS
        if not marked and after <= high and words[after].text in TO_MARKERS:
            marked, after = True, after + 1
        if marked:
            # 提高到國內生產毛額的2%: the first figure after 至/到, before another verb.
            for index in range(after, high + 1):
                if words[index].kind == "figure":
                    target = index
                    break
                if words[index].is_verb and words[index].pos != "vn":
                    break
        return predicate.predicate_class, source, target

    def modality(self, predicate: Predicate, low: int) -> tuple[str, int] | None:
        """The planned/expected cue nearest before the predicate in its clause."""
        words = self.words
        for index in range(predicate.first - 1, low - 1, -1):
            word = words[index]
            kind = self.lex.cues.get(word.text) if word.kind == "" else None
            if kind not in ("planned", "expected"):
                continue
            following = words[index + 1] if index + 1 < len(words) else None
            if word.text in DISPOSAL_MARKERS and following is not None and following.is_nominal:
                continue  # 將重貼現率從2%調降: 將 marks the thing acted on
            return kind, index
        return None


def figure_value(figure: dict[str, Any]) -> Decimal | None:
    value = figure.get("value")
    return value if isinstance(value, Decimal) else None
