package mock

import (
	"context"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// notYet is the first commit's answer of the lifecycle operations, replaced as they are built.
func notYet() error {
	return fc.Errorf(fc.CodeInternalServerError, "an internal error has occurred. Please retry.")
}

func (a *api) InvokeFunction(context.Context, fcapi.InvokeFunctionRequestObject) (fcapi.InvokeFunctionResponseObject, error) {
	return nil, notYet()
}

func (a *api) GetStatefulAsyncInvocation(context.Context, fcapi.GetStatefulAsyncInvocationRequestObject) (fcapi.GetStatefulAsyncInvocationResponseObject, error) {
	return nil, notYet()
}

func (a *api) StopStatefulAsyncInvocation(context.Context, fcapi.StopStatefulAsyncInvocationRequestObject) (fcapi.StopStatefulAsyncInvocationResponseObject, error) {
	return nil, notYet()
}

func (a *api) PutFunctionAsyncInvokeConfig(context.Context, fcapi.PutFunctionAsyncInvokeConfigRequestObject) (fcapi.PutFunctionAsyncInvokeConfigResponseObject, error) {
	return nil, notYet()
}

func (a *api) GetFunctionAsyncInvokeConfig(context.Context, fcapi.GetFunctionAsyncInvokeConfigRequestObject) (fcapi.GetFunctionAsyncInvokeConfigResponseObject, error) {
	return nil, notYet()
}

func (a *api) DeleteFunctionAsyncInvokeConfig(context.Context, fcapi.DeleteFunctionAsyncInvokeConfigRequestObject) (fcapi.DeleteFunctionAsyncInvokeConfigResponseObject, error) {
	return nil, notYet()
}
