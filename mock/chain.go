package mock

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// chain is the FC API's middleware, composed once per route instead of once per request. Echo
// composes the middleware given to Use around the matched handler on every request: a closure
// per middleware per request (eight on the list path). A chain composes them around each
// route's handler when the route is registered, and afresh only for requests that match no
// route of its own (404, 405), which have no handler to wrap ahead of time. Either way a
// request goes through the same middleware in the same order.
type chain struct {
	mws    []echo.MiddlewareFunc
	routes map[routeKey]echo.HandlerFunc // written while registering, then only read
	serve  echo.HandlerFunc              // ch.serveRequest, bound once
}

type routeKey struct{ method, path string }

// useChain installs mws on e as a chain: it must be all the middleware e Uses, and routes must
// be registered through the returned router to be composed ahead of time.
func useChain(e *echo.Echo, mws ...echo.MiddlewareFunc) *chainRouter {
	ch := &chain{mws: mws, routes: map[routeKey]echo.HandlerFunc{}}
	ch.serve = ch.serveRequest
	// next is always c.Handler(): echo composes Use'd middleware around the matched handler,
	// and the chain is the only one.
	e.Use(func(echo.HandlerFunc) echo.HandlerFunc { return ch.serve })
	return &chainRouter{e: e, ch: ch}
}

func (ch *chain) serveRequest(c echo.Context) error {
	// The router sets c.Path() to a route's registered path only when the route matched (a
	// 405 names the node's path with another method, a 404 none of ours).
	if h, ok := ch.routes[routeKey{c.Request().Method, c.Path()}]; ok {
		return h(c)
	}
	return compose(c.Handler(), ch.mws)(c)
}

// chainRouter registers routes on e and composes the chain around each (fcapi.EchoRouter).
type chainRouter struct {
	e     *echo.Echo
	ch    *chain
	wraps map[routeKey]func(echo.HandlerFunc) echo.HandlerFunc // see wrap
}

// wrap has the route method path, once registered, served by w(its handler).
func (r *chainRouter) wrap(method, path string, w func(echo.HandlerFunc) echo.HandlerFunc) {
	if r.wraps == nil {
		r.wraps = map[routeKey]func(echo.HandlerFunc) echo.HandlerFunc{}
	}
	r.wraps[routeKey{method, path}] = w
}

// unwrapped returns an error naming a route given to wrap that was never registered.
func (r *chainRouter) unwrapped() error {
	for k := range r.wraps {
		return fmt.Errorf("mock: no route %s %s was registered to wrap", k.method, k.path)
	}
	return nil
}

func (r *chainRouter) add(method, path string, h echo.HandlerFunc, m []echo.MiddlewareFunc) *echo.Route {
	if w, ok := r.wraps[routeKey{method, path}]; ok {
		h = w(h)
		delete(r.wraps, routeKey{method, path})
	}
	route := r.e.Add(method, path, h, m...)
	r.ch.routes[routeKey{method, route.Path}] = compose(compose(h, m), r.ch.mws)
	return route
}

// compose wraps h in mws, the first outermost, as echo does.
func compose(h echo.HandlerFunc, mws []echo.MiddlewareFunc) echo.HandlerFunc {
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h
}

// The methods of fcapi.EchoRouter, each registering through add.
func (r *chainRouter) CONNECT(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.add(http.MethodConnect, p, h, m)
}
func (r *chainRouter) DELETE(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.add(http.MethodDelete, p, h, m)
}
func (r *chainRouter) GET(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.add(http.MethodGet, p, h, m)
}
func (r *chainRouter) HEAD(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.add(http.MethodHead, p, h, m)
}
func (r *chainRouter) OPTIONS(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.add(http.MethodOptions, p, h, m)
}
func (r *chainRouter) PATCH(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.add(http.MethodPatch, p, h, m)
}
func (r *chainRouter) POST(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.add(http.MethodPost, p, h, m)
}
func (r *chainRouter) PUT(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.add(http.MethodPut, p, h, m)
}
func (r *chainRouter) TRACE(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.add(http.MethodTrace, p, h, m)
}
