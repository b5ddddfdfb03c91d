package mock

import "net/http"

// etagReply is a resource's 200 with its Etag, spelled so (the Java SDK reads that exact key).
type etagReply struct {
	body any
	etag string
}

func (r etagReply) write(w http.ResponseWriter) error {
	w.Header()["Etag"] = []string{r.etag}
	return jsonReply{http.StatusOK, r.body}.write(w)
}

func (r etagReply) VisitGetServiceResponse(w http.ResponseWriter) error    { return r.write(w) }
func (r etagReply) VisitCreateServiceResponse(w http.ResponseWriter) error { return r.write(w) }
func (r etagReply) VisitUpdateServiceResponse(w http.ResponseWriter) error { return r.write(w) }

func (r jsonReply) VisitListServicesResponse(w http.ResponseWriter) error { return r.write(w) }

// deletedReply is a delete's 204: no body and no Content-Type (the Node SDK would JSON-parse "").
type deletedReply struct{}

func (deletedReply) write(w http.ResponseWriter) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (r deletedReply) VisitDeleteServiceResponse(w http.ResponseWriter) error { return r.write(w) }

func (r etagReply) VisitGetFunctionResponse(w http.ResponseWriter) error    { return r.write(w) }
func (r etagReply) VisitCreateFunctionResponse(w http.ResponseWriter) error { return r.write(w) }
func (r etagReply) VisitUpdateFunctionResponse(w http.ResponseWriter) error { return r.write(w) }

func (r jsonReply) VisitListFunctionsResponse(w http.ResponseWriter) error   { return r.write(w) }
func (r jsonReply) VisitGetFunctionCodeResponse(w http.ResponseWriter) error { return r.write(w) }

func (r deletedReply) VisitDeleteFunctionResponse(w http.ResponseWriter) error { return r.write(w) }

func (r etagReply) VisitPublishServiceVersionResponse(w http.ResponseWriter) error { return r.write(w) }
func (r etagReply) VisitCreateAliasResponse(w http.ResponseWriter) error           { return r.write(w) }
func (r etagReply) VisitGetAliasResponse(w http.ResponseWriter) error              { return r.write(w) }
func (r etagReply) VisitUpdateAliasResponse(w http.ResponseWriter) error           { return r.write(w) }

func (r jsonReply) VisitListServiceVersionsResponse(w http.ResponseWriter) error { return r.write(w) }
func (r jsonReply) VisitListAliasesResponse(w http.ResponseWriter) error         { return r.write(w) }

func (r deletedReply) VisitDeleteServiceVersionResponse(w http.ResponseWriter) error {
	return r.write(w)
}
func (r deletedReply) VisitDeleteAliasResponse(w http.ResponseWriter) error { return r.write(w) }
