"""The tool loop of one reply: the calls a model asked for, the person's approval, running
them, and what goes back to the model (DESIGN.md §1, R10).

ChatService (services/chat.py) streams a request; when the model ends it asking for tools
(`ToolCallRequested` events), `ReplyTools.run_step` takes over: it stores the calls as a
step of the reply, asks the person about each one no allow rule covers, runs the allowed
ones (concurrently, each with its server's timeout), stores each result as it comes, and
hands the service the turns of the next request. Nothing runs without a decision or a rule.

Events, in order, for one step (all carry the reply's `message_id`):
- `ToolCallsRequested(step)`: the model's calls, with where its text ended; each call is
  QUEUED (a rule allows it) or ASKING.
- `ToolApprovalRequested(call, …)` for each ASKING call: the UI shows the question and
  answers with `ChatService.decide(call_id, decision, reason)`.
- `ToolCallStarted(call)` (RUNNING), then `ToolCallFinished(call)`: DONE with its output,
  FAILED with its error, DENIED with the person's reason, or CANCELLED by Stop.
The service then sends the results and streams the model's next words into the same reply.

Stop cancels the consuming task: the running tools are cancelled at once (the server is
told), the unfinished calls are stored CANCELLED and the reply INTERRUPTED. A kill leaves
them RUNNING/ASKING on disk, read back as INTERRUPTED (domain/tool_calls.py).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from desktopchat.domain.tool_calls import (
    STEP_LIMIT,
    Decision,
    LoopEnd,
    ToolCall,
    ToolCallStatus,
    ToolStep,
    ToolSteps,
)
from desktopchat.domain.tools import ToolCallError, ToolErrorKind, ToolOutput, ToolSpec
from desktopchat.providers.base import ToolCallRequested
from desktopchat.services.tool_rules import AllowRule
from desktopchat.services.tools import DEFAULT_TIMEOUT_S


class ToolAccess(Protocol):
    """What the loop needs of services/tools.py's ToolService."""

    async def list_tools(self) -> list[ToolSpec]: ...

    async def call_tool(
        self,
        server: str,
        tool: str,
        arguments: dict[str, Any],
        timeout: float = DEFAULT_TIMEOUT_S,
        cancel: asyncio.Event | None = None,
    ) -> ToolOutput: ...

    def is_allowed(self, server: str, tool: str, conversation: int | None) -> bool: ...

    async def allow(self, rule: AllowRule) -> None: ...


@dataclass(frozen=True)
class ToolCallsRequested:
    """The model ended a request asking for these calls (a new step of the reply)."""

    message_id: int
    step: ToolStep


@dataclass(frozen=True)
class ToolApprovalRequested:
    """Ask the person whether `call` may run; answer with ChatService.decide(call.call_id,
    Decision, reason). `arguments` is the call's arguments indented for reading;
    `description` and `annotations` (the server's hints, e.g. readOnlyHint) come from the
    server: show them as plain text, never trust them to decide."""

    message_id: int
    conversation_id: int
    call: ToolCall
    arguments: str
    description: str = ""
    annotations: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ToolCallStarted:
    message_id: int
    call: ToolCall


@dataclass(frozen=True)
class ToolCallFinished:
    """The call is over: see `call.status` (DONE, FAILED, DENIED, CANCELLED), `output`,
    `error_kind`/`error_message`, `duration`."""

    message_id: int
    call: ToolCall


ToolEvent = ToolCallsRequested | ToolApprovalRequested | ToolCallStarted | ToolCallFinished


class Approvals:
    """The questions waiting for the person, by call id, across conversations."""

    def __init__(self) -> None:
        self._waiting: dict[str, asyncio.Future[tuple[Decision, str]]] = {}
        self.answered = False
        """Whether someone (the UI) answers the questions; until then no tool is offered."""

    def wait(self, call_id: str) -> asyncio.Future[tuple[Decision, str]]:
        future = asyncio.get_running_loop().create_future()
        self._waiting[call_id] = future
        future.add_done_callback(lambda _: self._waiting.pop(call_id, None))
        return future

    def decide(self, call_id: str, decision: Decision, reason: str = "") -> bool:
        future = self._waiting.get(call_id)
        if future is None or future.done() or decision is Decision.RULE:
            return False
        future.set_result((decision, reason.strip()))
        return True

    def waiting(self) -> list[str]:
        return list(self._waiting)


class ReplyTools:
    """One reply's steps: the calls asked in the current request, and running a step."""

    def __init__(
        self,
        access: ToolAccess,
        approvals: Approvals,
        conversation_id: int,
        message_id: int,
        specs: list[ToolSpec],
        save: Callable[[ToolSteps], None],
        *,
        step_limit: int = STEP_LIMIT,
        timeout: Callable[[str], float] = lambda _server: DEFAULT_TIMEOUT_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._access = access
        self._approvals = approvals
        self._conversation_id = conversation_id
        self._message_id = message_id
        self._specs = {spec.api_name: spec for spec in specs}
        self.offered = tuple(specs)
        self._save = save
        self._step_limit = step_limit
        self._timeout = timeout
        self._clock = clock
        self._asked: list[ToolCallRequested] = []
        self.steps = ToolSteps()

    def refused(self) -> None:
        """The service refused tools: no later request of this reply offers them."""
        self.offered = ()

    def take(self, event: ToolCallRequested) -> None:
        self._asked.append(event)

    @property
    def asked(self) -> bool:
        return bool(self._asked)

    async def run_step(
        self, text_end: int, thinking: str = "", signature: str = ""
    ) -> AsyncIterator[ToolEvent]:
        """Store the calls asked as a step, ask, run, store each result; ends the loop
        (LoopEnd.STEP_LIMIT, stored) once the reply has made `step_limit` steps."""
        asked, self._asked = self._asked, []
        calls = [self._call(event, index) for index, event in enumerate(asked)]
        step = ToolStep(text_end, tuple(calls), thinking, signature)
        self._change(replace(self.steps, steps=(*self.steps.steps, step)))
        yield ToolCallsRequested(self._message_id, step)
        events: asyncio.Queue[ToolEvent | None] = asyncio.Queue()
        tasks: list[asyncio.Future[None]] = []
        try:
            for call in calls:
                if call.status is ToolCallStatus.FAILED:
                    yield ToolCallFinished(self._message_id, call)
                    continue
                # Waited for before the question is out: an answer given at once lands.
                answer = self._approvals.wait(call.call_id) if call.decision is None else None
                if answer is not None:
                    yield self._question(call)
                tasks.append(asyncio.ensure_future(self._decide_and_run(call, answer, events)))
            tasks.append(asyncio.ensure_future(_then_end(tasks[:], events)))
            while (event := await events.get()) is not None:
                yield event
            for task in tasks:
                if (error := task.exception()) is not None:
                    raise error  # a bug (or the rules file unwritable): not swallowed
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._settle()
        if len(self.steps.steps) >= self._step_limit:
            self._change(replace(self.steps, end=LoopEnd.STEP_LIMIT))

    def _call(self, event: ToolCallRequested, index: int) -> ToolCall:
        spec = self._specs.get(event.name)
        call_id = event.call_id or f"call_{len(self.steps.steps)}_{index}"
        if spec is None:
            return ToolCall(
                call_id,
                event.name,
                "",
                event.name,
                event.arguments,
                status=ToolCallStatus.FAILED,
                error_kind=ToolErrorKind.UNKNOWN_TOOL,
                error_message=f"No tool named {event.name} was offered.",
            )
        allowed = self._access.is_allowed(spec.server, spec.name, self._conversation_id)
        return ToolCall(
            call_id,
            event.name,
            spec.server,
            spec.name,
            event.arguments,
            status=ToolCallStatus.QUEUED if allowed else ToolCallStatus.ASKING,
            decision=Decision.RULE if allowed else None,
        )

    def _question(self, call: ToolCall) -> ToolApprovalRequested:
        spec = self._specs[call.api_name]
        return ToolApprovalRequested(
            self._message_id,
            self._conversation_id,
            call,
            call.pretty_arguments(),
            spec.description,
            dict(spec.annotations),
        )

    async def _decide_and_run(
        self,
        call: ToolCall,
        answer: asyncio.Future[tuple[Decision, str]] | None,
        events: asyncio.Queue[Any],
    ) -> None:
        if answer is not None:
            decision, reason = await answer
            if decision is Decision.DENY:
                denied = replace(
                    call, status=ToolCallStatus.DENIED, decision=decision, reason=reason
                )
                events.put_nowait(ToolCallFinished(self._message_id, self._change_call(denied)))
                return
            if decision is not Decision.ALLOW_ONCE:
                conversation = (
                    self._conversation_id if decision is Decision.ALLOW_CONVERSATION else None
                )
                await self._access.allow(AllowRule(call.server, call.tool, conversation))
            call = replace(call, decision=decision, reason=reason)
        started = self._clock()
        call = self._change_call(replace(call, status=ToolCallStatus.RUNNING, started=started))
        events.put_nowait(ToolCallStarted(self._message_id, call))
        ran = time.monotonic()
        try:
            output = await self._access.call_tool(
                call.server, call.tool, _arguments(call), self._timeout(call.server)
            )
            call = replace(call, status=ToolCallStatus.DONE, output=output)
        except ToolCallError as error:
            status = (
                ToolCallStatus.CANCELLED
                if error.kind is ToolErrorKind.CANCELLED
                else ToolCallStatus.FAILED
            )
            call = replace(call, status=status, error_kind=error.kind, error_message=error.message)
        except ValueError as error:  # arguments that are not a JSON object
            call = replace(
                call,
                status=ToolCallStatus.FAILED,
                error_kind=ToolErrorKind.PROTOCOL,
                error_message=str(error),
            )
        call = self._change_call(replace(call, duration=time.monotonic() - ran))
        events.put_nowait(ToolCallFinished(self._message_id, call))

    def _settle(self) -> None:
        """After a stop: every call not finished is CANCELLED, stored."""
        for call in self.steps.calls():
            if not call.finished:
                self._change_call(replace(call, status=ToolCallStatus.CANCELLED))

    def _change_call(self, call: ToolCall) -> ToolCall:
        self._change(self.steps.with_call(call))
        return call

    def _change(self, steps: ToolSteps) -> None:
        self.steps = steps
        self._save(steps)


async def _then_end(tasks: list[asyncio.Future[None]], events: asyncio.Queue[Any]) -> None:
    """Say the step is over once every call is."""
    await asyncio.gather(*tasks, return_exceptions=True)
    events.put_nowait(None)


def _arguments(call: ToolCall) -> dict[str, Any]:
    """The model's arguments as the object a tool takes; ValueError when they are not one."""
    try:
        value = json.loads(call.arguments or "{}")
    except (ValueError, RecursionError):
        raise ValueError(f"The arguments are not valid JSON: {call.arguments[:200]}") from None
    if not isinstance(value, dict):
        raise ValueError("The arguments are not a JSON object.")
    return value
