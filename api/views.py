"""The partner API at /api/v1/: hand-offs, their status and the public activities; and its schema and
documentation. Every call is kept in ApiCall (who, what, the answer, from which network)."""

from __future__ import annotations

import math
import re
import uuid

import django_filters
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import APIException, NotFound, ParseError, PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from contactpunt.audit import network_of, origin, request_id
from contactpunt.models import Branch, Region
from werkgevers.models import DATED_KINDS, Offer, OfferKind

from . import handoffs
from .authentication import PartnerPrincipal
from .models import ApiCall, Handoff, Scope
from .permissions import PartnerMay
from .serializers import (
    ActivitySerializer,
    ErrorSerializer,
    HandoffRequestSerializer,
    HandoffSerializer,
    ValidationErrorSerializer,
)
from .throttling import KeyRateThrottle

# What an Idempotency-Key may be: printable ASCII, as the IETF draft and the big APIs use (UUIDs mostly).
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,100}$")
_KEY_PREFIX = re.compile(r"^Bearer cp_([0-9a-f]{8})_")

ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description=_("No key, or a key that is unknown, revoked or expired.")),
    403: OpenApiResponse(ErrorSerializer, description=_("The key may not do this.")),
    429: OpenApiResponse(ErrorSerializer, description=_("Over the key's rate limit; see Retry-After.")),
}


def exception_handler(exception, context):
    """An error as {"detail": text} plus, for bad input, "errors" per field: one shape for partners to
    read, whatever raised it (a filter, the parser, a page number). Unlike DRF's own handler this one
    does not roll back the request's transaction: the views run without one (`_partner_view`)."""
    if isinstance(exception, Http404):
        exception = NotFound()
    elif isinstance(exception, DjangoPermissionDenied):
        exception = PermissionDenied()
    if not isinstance(exception, APIException):
        return None
    headers = {}
    if getattr(exception, "auth_header", None):
        headers["WWW-Authenticate"] = exception.auth_header
    if getattr(exception, "wait", None):
        headers["Retry-After"] = str(math.ceil(exception.wait))
    detail = exception.detail
    if isinstance(detail, str):
        data = {"detail": str(detail)}
    else:
        errors = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        data = {
            "detail": str(_("The request has errors.")),
            "errors": {
                str(name): [str(message) for message in (messages if isinstance(messages, list) else [messages])]
                for name, messages in errors.items()
            },
        }
    return Response(data, status=exception.status_code, headers=headers)


class PartnerAPIView(APIView):
    """A view for partners' keys, with the scope it needs; records every call."""

    permission_classes = [PartnerMay]
    throttle_classes = [KeyRateThrottle]
    required_scope = ""
    operation = ""

    def finalize_response(self, request: Request, response: Response, *args, **kwargs) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        principal = getattr(request, "_user", None)
        key_prefix = ""
        if isinstance(principal, PartnerPrincipal):
            key_prefix = principal.key.prefix
        elif match := _KEY_PREFIX.match(request.headers.get("Authorization", "")):
            key_prefix = match.group(1)
        ApiCall.objects.create(
            partner=principal.partner if isinstance(principal, PartnerPrincipal) else None,
            key_prefix=key_prefix,
            method=request.method,
            operation=self.operation,
            status_code=response.status_code,
            handoff=getattr(self, "handoff", None),
            network=network_of(request.META.get("REMOTE_ADDR")),
            request_id=request_id(request._request),
        )
        response["Cache-Control"] = "no-store"
        return response


class HandoffCreateView(PartnerAPIView):
    required_scope = Scope.HAND_OFF
    operation = "handoff_create"

    @extend_schema(
        operation_id="handoff_create",
        summary=_("Hand off a candidate"),
        description=_(
            "The fields and rules of the intake form, plus the conversation notes so far. The person is "
            "routed to the contact point of their postcode. Send an Idempotency-Key (a UUID, say) to make "
            "retries safe: the same key gives the same answer and one candidate."
        ),
        request=HandoffRequestSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description=_("Up to 100 printable characters, unique per hand-off."),
                pattern=r"^[\x21-\x7e]{1,100}$",
            )
        ],
        responses={
            201: HandoffSerializer,
            400: OpenApiResponse(ValidationErrorSerializer, description=_("What is wrong, per field.")),
            415: OpenApiResponse(ErrorSerializer, description=_("The body is not JSON.")),
            409: OpenApiResponse(ErrorSerializer, description=_("The Idempotency-Key was used with another body.")),
            **ERRORS,
        },
    )
    def post(self, request: Request) -> Response:
        key = request.headers.get("Idempotency-Key", "")
        if key and not IDEMPOTENCY_KEY.match(key):
            raise ParseError(_("The Idempotency-Key must be 1 to 100 printable characters."))
        if not isinstance(request.data, dict):
            raise ParseError(_("Send a JSON object."))
        try:
            result = handoffs.hand_off(
                partner=request.user.partner, data=request.data, idempotency_key=key, origin=origin(request._request)
            )
        except handoffs.HandoffInvalid as invalid:
            return Response(
                {"detail": str(_("The hand-off has errors.")), "errors": invalid.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        except handoffs.IdempotencyConflict:
            return Response(
                {"detail": str(_("This Idempotency-Key was used before with other data."))},
                status=status.HTTP_409_CONFLICT,
            )
        self.handoff = result.handoff
        body = HandoffSerializer(result.handoff, context={"request": request}).data
        response = Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["status_url"]})
        if result.replayed:
            response["Idempotent-Replayed"] = "true"
        return response


class HandoffStatusView(PartnerAPIView):
    required_scope = Scope.HAND_OFF
    operation = "handoff_status"

    @extend_schema(
        operation_id="handoff_status",
        summary=_("Status of a hand-off"),
        description=_(
            "How far the person got: received, contacted, referred, started or closed. Only for the "
            "partner who handed them off, and without personal details."
        ),
        responses={
            200: HandoffSerializer,
            404: OpenApiResponse(ErrorSerializer, description=_("No hand-off of yours has this id.")),
            **ERRORS,
        },
    )
    def get(self, request: Request, public_id: str) -> Response:
        try:
            public_id = uuid.UUID(public_id)
        except ValueError:
            raise NotFound(_("No hand-off of yours has this id.")) from None
        handoff = (
            Handoff.objects.select_related("candidate__region")
            .filter(partner=request.user.partner, public_id=public_id)
            .first()
        )
        if handoff is None:
            raise NotFound(_("No hand-off of yours has this id."))
        self.handoff = handoff
        return Response(HandoffSerializer(handoff, context={"request": request}).data)


class ActivityFilter(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(
        field_name="location__region", to_field_name="slug", queryset=Region.objects.all(), help_text=_("Region slug.")
    )
    branch = django_filters.ModelChoiceFilter(
        to_field_name="slug", queryset=Branch.objects.filter(active=True), help_text=_("Branch slug.")
    )
    kind = django_filters.ChoiceFilter(
        choices=[(value, label) for value, label in OfferKind.choices if value in DATED_KINDS]
    )
    # ISO dates only, as the schema says ("2026-12-04"), not the other forms a Django date field takes.
    starts_after = django_filters.DateFilter(
        field_name="starts_at",
        lookup_expr="date__gte",
        input_formats=["%Y-%m-%d"],
        help_text=_("From this day (YYYY-MM-DD)."),
    )
    starts_before = django_filters.DateFilter(
        field_name="starts_at",
        lookup_expr="date__lte",
        input_formats=["%Y-%m-%d"],
        help_text=_("Up to and including this day."),
    )

    class Meta:
        model = Offer
        fields: list[str] = []


class ActivityPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ActivityListView(PartnerAPIView, generics.ListAPIView):
    required_scope = Scope.ACTIVITIES
    operation = "activity_list"
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    pagination_class = ActivityPagination

    def get_queryset(self) -> QuerySet[Offer]:
        return (
            Offer.objects.public_agenda()
            .select_related("organisation", "location__region", "branch")
            .order_by("starts_at", "pk")
        )

    @extend_schema(
        operation_id="activity_list",
        summary=_("Public activities"),
        description=_(
            "The activities of the public agenda to come (meeloopdagen, open days, speed dates, information "
            "meetings), soonest first, for partner sites. People sign up on the activity's page (url)."
        ),
        responses={
            200: ActivitySerializer(many=True),
            400: OpenApiResponse(ValidationErrorSerializer, description=_("A filter has a value it does not know.")),
            404: OpenApiResponse(ErrorSerializer, description=_("No such page.")),
            **ERRORS,
        },
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


def _partner_view(view_class):
    """Open to keys rather than logins, and without the request transaction: a hand-off takes its own
    (api.handoffs), and the record of a refused call must stay when DRF rolls back an error."""
    return login_not_required(transaction.non_atomic_requests(view_class.as_view()))


handoff_create = _partner_view(HandoffCreateView)
handoff_status = _partner_view(HandoffStatusView)
activity_list = _partner_view(ActivityListView)


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _type_of(schema: dict, node: dict) -> str:
    """A property's type in a few words: "string (e-mail, ≤ 254)", "one of: a, b", "list of string"."""
    if "allOf" in node or "oneOf" in node:
        node = _resolve(schema, (node.get("allOf") or node["oneOf"])[0])
    node = _resolve(schema, node)
    if "enum" in node:
        return _("one of: %(values)s") % {"values": ", ".join(str(value) for value in node["enum"] if value != "")}
    if node.get("type") == "array":
        return _("list of %(type)s") % {"type": _type_of(schema, node.get("items", {}))}
    words = str(node.get("type", "object"))
    details = [node[key] for key in ("format",) if key in node]
    if "maxLength" in node:
        details.append(f"≤ {node['maxLength']}")
    if "minimum" in node or "maximum" in node:
        details.append(f"{node.get('minimum', '')}–{node.get('maximum', '')}")
    return f"{words} ({', '.join(str(detail) for detail in details)})" if details else words


def _fields(schema: dict, node: dict) -> list[dict]:
    node = _resolve(schema, node)
    required = set(node.get("required", []))
    return [
        {
            "name": name,
            "type": _type_of(schema, value),
            "required": name in required,
            "description": value.get("description", ""),
        }
        for name, value in node.get("properties", {}).items()
    ]


def _operations(schema: dict) -> list[dict]:
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            answers = []
            for code, answer in operation.get("responses", {}).items():
                content = answer.get("content", {}).get("application/json", {}).get("schema")
                answers.append(
                    {
                        "code": code,
                        "description": answer.get("description", ""),
                        "fields": _fields(schema, content) if content else [],
                    }
                )
            operations.append(
                {
                    "id": operation.get("operationId", ""),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": parameter["in"],
                            "required": parameter.get("required", False),
                            "type": _type_of(schema, parameter.get("schema", {})),
                            "description": parameter.get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "body": _fields(schema, body) if body else [],
                    "answers": answers,
                }
            )
    return operations


@login_not_required
def documentation(request: HttpRequest) -> HttpResponse:
    """The API's documentation for partners' developers, drawn from the same schema as /schema/, in
    the portal's own pages (no third-party viewer: the portal's CSP allows no inline code)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    context = {
        "schema": schema,
        "operations": _operations(schema),
        "schema_url": request.build_absolute_uri(reverse("api:schema")),
        "base_url": request.build_absolute_uri("/api/v1/").rstrip("/"),
    }
    return render(request, "api/documentation.html", context)
