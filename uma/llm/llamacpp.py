"""Greedy generation on llama.cpp (llama-cpp-python's low-level API), for several prompts at once.

Prompts that share a beginning (a shortlist's candidates share the job's part of the prompt) evaluate
it once: it stays in sequence 0's KV cache, and each prompt's sequence starts from a copy of it. The
next call reuses as much of that cached beginning as it shares. Then every unfinished sequence gets
one token per step, all in one batch, until each reaches an end-of-generation token or the limit.

Token ids in, token ids out: the caller tokenizes with the model's own tokenizer and chat template,
so the prompt is byte for byte the one the adapter was trained on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np


class EngineError(Exception):
    """The engine cannot serve: missing build, unreadable or wrong model file."""


class Overtime(Exception):
    """A generation ran past its time limit and was cut off."""


@dataclass
class Output:
    tokens: list[int]
    prompt_tokens: int


def _shared(prompts: list[list[int]]) -> int:
    """How many leading tokens every prompt shares (always leaving each prompt at least one of its own)."""
    shortest = min(len(p) for p in prompts)
    n = 0
    while n < shortest - 1 and all(p[n] == prompts[0][n] for p in prompts):
        n += 1
    return n


class Engine:
    """One model file loaded with its own context; not thread-safe (the caller holds a lock)."""

    def __init__(self, path: str, *, threads: int, sequences: int = 8, context: int = 4096, batch: int = 512) -> None:
        try:
            import llama_cpp
            from llama_cpp import _internals
        except ImportError as error:
            raise EngineError(f"llama-cpp-python is not installed ({error})") from error
        self._ll = llama_cpp
        from llama_cpp._logger import set_verbose

        set_verbose(False)  # llama.cpp's own log: errors only
        model_params = llama_cpp.llama_model_default_params()
        try:
            self._model = _internals.LlamaModel(path_model=path, params=model_params, verbose=False)
        except (ValueError, OSError) as error:
            raise EngineError(f"llama.cpp cannot load {path}: {error}") from error
        params = llama_cpp.llama_context_default_params()
        params.n_ctx, params.n_batch, params.n_ubatch = context, batch, batch
        params.n_seq_max, params.kv_unified = sequences + 1, True  # sequence 0 holds the shared beginning
        params.n_threads = params.n_threads_batch = threads
        self._ctx = _internals.LlamaContext(model=self._model, params=params, verbose=False)
        self._batch = _internals.LlamaBatch(n_tokens=batch, embd=0, n_seq_max=sequences + 1, verbose=False)
        self._vocab = llama_cpp.llama_model_get_vocab(self._model.model)
        self._n_vocab = self._model.n_vocab()
        self.path, self.sequences, self.context, self.batch_size = path, sequences, context, batch
        self._cached: list[int] = []  # what sequence 0 holds
        self._answers: list[list[int]] = []  # the last call's answers: guesses for the next one
        self.steps = 0  # generation steps so far (one decode each; what guessing saves shows here)
        self.evaluated = 0  # prompt tokens evaluated so far (what the shared-beginning cache saves shows here)

    def close(self) -> None:
        self._batch.close()
        self._ctx.close()
        self._model.close()

    # --- the batch ------------------------------------------------------------------------------------

    def _add(self, token: int, pos: int, seq: int, *, logits: bool) -> int:
        b = self._batch.batch
        i = b.n_tokens
        b.token[i], b.pos[i], b.n_seq_id[i], b.logits[i] = token, pos, 1, logits
        b.seq_id[i][0] = seq
        b.n_tokens = i + 1
        return i

    def _decode(self) -> None:
        if self._batch.batch.n_tokens:
            status = self._ll.llama_decode(self._ctx.ctx, self._batch.batch)
            if status != 0:
                raise EngineError(f"llama_decode failed ({status}): the prompts are too long for the context")
        self._batch.batch.n_tokens = 0

    def _feed(self, tokens: list[int], *, start: int, seq: int) -> int:
        """Queue tokens at positions start…, decoding whenever the batch is full. Returns the batch index
        of the last token, whose logits the next decode computes."""
        index = -1
        self.evaluated += len(tokens)
        for offset, token in enumerate(tokens):
            if self._batch.batch.n_tokens == self.batch_size:
                self._decode()
            index = self._add(token, start + offset, seq, logits=offset == len(tokens) - 1)
        return index

    def _flush(self, pending: dict[int, int]) -> dict[int, int]:
        """Decode what is queued; the greedy next token of each pending sequence."""
        self._decode()
        return {seq: self._argmax(index) for seq, index in pending.items()}

    def _argmax(self, index: int) -> int:
        pointer = self._ll.llama_get_logits_ith(self._ctx.ctx, index)
        return int(np.argmax(np.ctypeslib.as_array(pointer, shape=(self._n_vocab,))))

    # --- generation -----------------------------------------------------------------------------------

    def _prefix(self, prompt: list[int], shared: int) -> None:
        """Make sequence 0 hold the prompt's first `shared` tokens, reusing what it already holds."""
        keep = 0
        while keep < min(shared, len(self._cached)) and self._cached[keep] == prompt[keep]:
            keep += 1
        memory = self._ll.llama_get_memory(self._ctx.ctx)
        self._ll.llama_memory_seq_rm(memory, 0, keep, -1)
        for seq in range(1, self.sequences + 1):
            self._ll.llama_memory_seq_rm(memory, seq, -1, -1)
        if shared > keep:
            self._feed(prompt[keep:shared], start=keep, seq=0)
            self._decode()
        self._cached = prompt[:shared]

    def generate(
        self, prompts: list[list[int]], *, max_new_tokens: int, seconds: float, guesses: int = 0
    ) -> list[Output]:
        """Greedy completions, one per prompt (at most `sequences` at once), cut off after `seconds`.

        With `guesses`, a sequence that generates alone or with one other also checks up to that many
        guessed tokens per step (`Guesses`). The answers are the same token for token; fewer steps reach
        them. In a bigger batch every step is already full, and a wrong guess would cost as much as a
        real token (bench/uma_speed.py measures both)."""
        if not prompts:
            return []
        if len(prompts) > self.sequences:
            head, tail = prompts[: self.sequences], prompts[self.sequences :]
            options = {"max_new_tokens": max_new_tokens, "seconds": seconds, "guesses": guesses}
            return self.generate(head, **options) + self.generate(tail, **options)  # type: ignore[arg-type]
        shared = _shared(prompts)
        if shared + sum(len(p) - shared + max_new_tokens + guesses for p in prompts) > self.context:
            raise EngineError("the prompts and answers do not fit the context; ask for fewer at once")
        deadline = time.monotonic() + seconds
        self._batch.batch.n_tokens = 0  # nothing left over from a call that failed
        self._prefix(prompts[0], shared)
        memory = self._ll.llama_get_memory(self._ctx.ctx)
        nexts: dict[int, int] = {}
        pending: dict[int, int] = {}
        for seq, prompt in enumerate(prompts, start=1):
            self._ll.llama_memory_seq_cp(memory, 0, seq, 0, shared)
            rest = prompt[shared:]
            if self._batch.batch.n_tokens + len(rest) > self.batch_size:
                nexts |= self._flush(pending)  # read their logits before the next decode replaces them
                pending = {}
            pending[seq] = self._feed(rest, start=shared, seq=seq)
        nexts |= self._flush(pending)
        outputs = {seq: Output([], len(p)) for seq, p in enumerate(prompts, start=1)}
        positions = {seq: len(p) for seq, p in enumerate(prompts, start=1)}
        lookup = Guesses(dict(enumerate(prompts, start=1)), self._answers)
        while nexts:
            if time.monotonic() > deadline:
                raise Overtime(f"generation passed its limit of {seconds:g} s")
            guessing = guesses if len(nexts) <= GUESS_AT_MOST else 0
            fed: dict[int, list[tuple[int, int]]] = {}  # seq -> [(token, its batch index)]: the next, then guesses
            for seq, token in nexts.items():
                answer = outputs[seq].tokens
                if self._ll.llama_vocab_is_eog(self._vocab, token):
                    continue
                answer.append(token)
                if len(answer) >= max_new_tokens:
                    continue
                guessed = lookup.guess(seq, answer, min(guessing, max_new_tokens - len(answer) - 1))
                fed[seq] = [
                    (t, self._add(t, positions[seq] + i, seq, logits=True)) for i, t in enumerate([token, *guessed])
                ]
            if not fed:
                break
            self._decode()
            self.steps += 1
            accepted = {seq: self._accept(seq, tokens, outputs[seq].tokens, positions) for seq, tokens in fed.items()}
            nexts = {seq: token for seq, token in accepted.items() if token is not None}
        self._answers = [outputs[seq].tokens for seq in sorted(outputs)]
        return [outputs[seq] for seq in sorted(outputs)]

    def _accept(self, seq: int, fed: list[tuple[int, int]], answer: list[int], positions: dict[int, int]) -> int | None:
        """Keep each guess the model agrees with (it is what greedy decoding would have chosen); drop the
        rest from the cache. Returns the model's next token, or None when a kept guess ended the answer."""
        kept = 0
        predicted = self._argmax(fed[0][1])
        while kept + 1 < len(fed) and predicted == fed[kept + 1][0]:
            kept += 1
            if self._ll.llama_vocab_is_eog(self._vocab, predicted):
                return None
            answer.append(predicted)
            predicted = self._argmax(fed[kept][1])
        positions[seq] += kept + 1
        if kept + 1 < len(fed):
            self._ll.llama_memory_seq_rm(self._ll.llama_get_memory(self._ctx.ctx), seq, positions[seq], -1)
        return predicted


GUESS_AT_MOST = 2  # sequences generating at once, at most, for guesses to pay (see Engine.generate)
NGRAM = 3  # the longest run of an answer's last tokens a guess is looked up by


class Guesses:
    """Guesses of an answer's next tokens (prompt-lookup decoding): what followed the latest earlier
    occurrence of its last few tokens — in the other answers of this call and the last one (answers to
    one task share their shape), in its own answer, else in its own prompt (answers quote their facts).
    A guess is only ever checked, never trusted: a wrong one costs its share of one step."""

    def __init__(self, prompts: dict[int, list[int]], earlier: list[list[int]]) -> None:
        self.prompts = prompts
        self.earlier = earlier
        self.answers: dict[int, list[int]] = {}
        self._index: dict[int, dict[tuple[int, ...], int]] = {}

    def guess(self, seq: int, answer: list[int], most: int) -> list[int]:
        self.answers[seq] = answer
        if most <= 0:
            return []
        others = [a for s, a in self.answers.items() if s != seq] + self.earlier
        for n in range(min(NGRAM, len(answer)), 0, -1):
            tail = answer[-n:]
            for text in others:
                if found := _after(text, tail, len(text), most):
                    return found
            if found := _after(answer, tail, len(answer) - 1, most):
                return found
            at = self._prompt_index(seq).get(tuple(tail))
            if at is not None:
                return self.prompts[seq][at : at + most]
        return []

    def _prompt_index(self, seq: int) -> dict[tuple[int, ...], int]:
        """Each n-gram of the prompt → the position just after its last occurrence (built once)."""
        if seq not in self._index:
            prompt, index = self.prompts[seq], {}
            for n in range(1, NGRAM + 1):
                for end in range(n, len(prompt)):
                    index[tuple(prompt[end - n : end])] = end
            self._index[seq] = index
        return self._index[seq]


def _after(text: list[int], tail: list[int], before: int, most: int) -> list[int]:
    """Up to `most` tokens after the last occurrence of `tail` that ends at or before `before`."""
    n = len(tail)
    for end in range(before, n - 1, -1):
        if text[end - n : end] == tail:
            return text[end : end + most]
    return []
