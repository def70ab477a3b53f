module github.com/hybridkem/hybridkem/interop/go

go 1.26
